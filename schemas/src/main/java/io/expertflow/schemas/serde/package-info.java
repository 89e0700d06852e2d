/**
 * Kafka serdes for Avro records in the Confluent wire format: magic byte 0, a 4-byte big-endian
 * schema id, then Avro binary. Schemas are registered under {@code <topic>-value} (or {@code
 * <topic>-key}); readers fetch the writer's schema by id and resolve it to their own, so any
 * Confluent-ecosystem consumer reads what expertflow writes, and the other way round.
 */
package io.expertflow.schemas.serde;
