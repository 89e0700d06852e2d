package io.expertflow.streams.console;

import io.expertflow.avro.ModelVersion;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.streams.jobs.export.TopicScan;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
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
    AvroDeserializer<ModelVersion> values = new AvroDeserializer<>(registry, ModelVersion.class);
    Map<String, ModelVersion> serving = new TreeMap<>();
    Map<String, Map<String, ModelVersion>> history = new TreeMap<>();
    TopicScan.read(
        clientProperties,
        topic,
        timeout,
        "",
        r -> {
          if (r.key() == null) {
            return;
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
            return;
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
        });
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
