/**
 * The data contracts of expertflow: Avro records (generated in {@code io.expertflow.avro}), their
 * Confluent wire-format serdes ({@link io.expertflow.schemas.serde}), a schema-registry REST client
 * ({@link io.expertflow.schemas.registry}) and the topic catalog.
 */
package io.expertflow.schemas;
