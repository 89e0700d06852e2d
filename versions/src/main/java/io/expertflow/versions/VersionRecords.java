package io.expertflow.versions;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ModelVersion;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;

/**
 * Reading the version topics ({@code model-versions}, {@code expert-updates}) and the updater's
 * inputs record by record: tombstone-aware decoding, and the one warning for a record that cannot
 * be read and is skipped. Thread-safe as its deserializers are.
 */
public final class VersionRecords {
  private final AvroDeserializer<ModelVersion> versions;
  private final AvroDeserializer<ExpertWeights> weights;

  public VersionRecords(SchemaRegistryClient registry) {
    this.versions = new AvroDeserializer<>(registry, ModelVersion.class);
    this.weights = new AvroDeserializer<>(registry, ExpertWeights.class);
  }

  /** The {@code model-versions} record's value, or null for a tombstone. */
  public ModelVersion version(ConsumerRecord<String, byte[]> r) {
    return r.value() == null ? null : versions.deserialize(r.topic(), r.value());
  }

  /** The {@code expert-updates} record's value, or null for a tombstone. */
  public ExpertWeights weights(ConsumerRecord<String, byte[]> r) {
    return r.value() == null ? null : weights.deserialize(r.topic(), r.value());
  }

  /** Logs that {@code r} could not be read and is skipped (its position and why, no payload). */
  public static void skipped(Logger log, ConsumerRecord<?, ?> r, RuntimeException why) {
    log.warn(
        "skipping unreadable record {}-{}@{}: {}",
        r.topic(),
        r.partition(),
        r.offset(),
        why.toString());
  }
}
