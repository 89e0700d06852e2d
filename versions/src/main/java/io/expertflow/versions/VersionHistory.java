package io.expertflow.versions;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ModelVersion;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-off read of {@code model-versions} and {@code expert-updates} to their end (as of the
 * call), without a consumer group: one {@link VersionCatalog} per model found there. What {@code
 * expertflow versions} shows and checks a rollback against. Stateless; each call opens and closes
 * its own consumer.
 */
public final class VersionHistory {
  private static final Logger LOG = LoggerFactory.getLogger(VersionHistory.class);

  private VersionHistory() {}

  /**
   * Every model's catalog, by model name.
   *
   * @param kafkaProperties connection settings (bootstrap servers, security)
   * @throws IllegalStateException if a topic is missing or the end is not reached within {@code
   *     timeout}
   */
  public static Map<String, VersionCatalog> read(
      TopicNames topics,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      Duration timeout) {
    Map<String, Object> c = new HashMap<>(kafkaProperties);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    VersionRecords records = new VersionRecords(registry);
    Map<String, VersionCatalog> catalogs = new TreeMap<>();
    List<String> names = List.of(topics.modelVersions(), topics.expertUpdates());
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      AssignedPartitions assigned =
          AssignedPartitions.fromBeginning(consumer, names, names, timeout);
      while (!assigned.caughtUp()) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read " + names + " to their end within " + timeout.toMillis() + " ms");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          try {
            if (r.topic().equals(topics.modelVersions())) {
              onVersion(catalogs, r, records.version(r));
            } else {
              onWeights(catalogs, r, records.weights(r));
            }
          } catch (RuntimeException e) {
            VersionRecords.skipped(LOG, r, e);
          }
        }
      }
    }
    return catalogs;
  }

  private static void onVersion(
      Map<String, VersionCatalog> catalogs, ConsumerRecord<String, byte[]> r, ModelVersion v) {
    String model = v != null ? v.getModelName() : modelOfKey(r.key());
    if (model == null) {
      return;
    }
    if (v == null) {
      VersionCatalog catalog = catalogs.get(model);
      if (catalog != null) {
        catalog.onModelVersion(r.key(), null);
      }
      return;
    }
    catalogs.computeIfAbsent(model, VersionCatalog::new).onModelVersion(r.key(), v);
  }

  private static void onWeights(
      Map<String, VersionCatalog> catalogs, ConsumerRecord<String, byte[]> r, ExpertWeights w) {
    if (w == null) {
      catalogs.values().forEach(catalog -> catalog.onExpertWeights(r.key(), null));
    } else {
      catalogs.computeIfAbsent(w.getModelName(), VersionCatalog::new).onExpertWeights(r.key(), w);
    }
  }

  private static String modelOfKey(String key) {
    if (key == null) {
      return null;
    }
    int at = key.indexOf('@');
    return at < 0 ? key : key.substring(0, at);
  }
}
