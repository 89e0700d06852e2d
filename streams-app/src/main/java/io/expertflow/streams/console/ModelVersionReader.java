package io.expertflow.streams.console;

import io.expertflow.avro.ModelVersion;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the compacted {@code model-versions} topic to its end (committed records, no consumer
 * group) into each model's history and served version. Keys follow the version protocol: {@code
 * <model>} holds the version to serve, {@code <model>@<version>} each version's own record. A small
 * topic, read again for every page. Thread-safe: each call uses its own consumer.
 */
final class ModelVersionReader {
  private static final Logger LOG = LoggerFactory.getLogger(ModelVersionReader.class);

  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;
  private final String topic;
  private final Duration timeout;

  ModelVersionReader(
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      String topic,
      Duration timeout) {
    this.clientProperties = clientProperties;
    this.registry = registry;
    this.topic = topic;
    this.timeout = timeout;
  }

  /** One model's versions: newest first, and the one its serving key names (or null). */
  record ModelHistory(String model, ModelVersion serving, List<ModelVersion> versions) {}

  /** Every model found on the topic, by name. */
  Map<String, ModelHistory> read() {
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    AvroDeserializer<ModelVersion> values = new AvroDeserializer<>(registry, ModelVersion.class);
    Map<String, ModelVersion> serving = new TreeMap<>();
    Map<String, Map<String, ModelVersion>> history = new TreeMap<>();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic, timeout).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("reading " + topic + " took longer than " + timeout);
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.key() == null) {
            continue;
          }
          ModelVersion v;
          try {
            v = r.value() == null ? null : values.deserialize(r.topic(), r.value());
          } catch (RuntimeException e) {
            LOG.warn(
                "skipping unreadable record {}-{}@{}: {}",
                r.topic(),
                r.partition(),
                r.offset(),
                e.toString());
            continue;
          }
          int at = r.key().indexOf('@');
          String model = at < 0 ? r.key() : r.key().substring(0, at);
          if (at < 0) {
            if (v == null) {
              serving.remove(model);
            } else {
              serving.put(model, v);
            }
          } else {
            Map<String, ModelVersion> versions =
                history.computeIfAbsent(model, m -> new TreeMap<>());
            if (v == null) {
              versions.remove(r.key().substring(at + 1));
            } else {
              versions.put(v.getVersion(), v);
            }
          }
        }
      }
    }
    Map<String, ModelHistory> out = new TreeMap<>();
    for (String model : union(serving.keySet(), history.keySet())) {
      List<ModelVersion> versions = new ArrayList<>(history.getOrDefault(model, Map.of()).values());
      versions.sort(Comparator.comparing(ModelVersion::getCreatedAt).reversed());
      out.put(model, new ModelHistory(model, serving.get(model), versions));
    }
    return out;
  }

  private static List<String> union(
      java.util.Collection<String> a, java.util.Collection<String> b) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return new ArrayList<>(all);
  }
}
