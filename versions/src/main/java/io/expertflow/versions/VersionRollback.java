package io.expertflow.versions;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Serves an older version again: checks it against what the version topics hold and publishes a
 * ROLLBACK serving record naming it. Only a PUBLISHED version whose tensors are all on {@code
 * expert-updates} (checksums verified), or the base bundle's own version, can be served; REJECTED
 * and unknown versions are refused with the reason. Workers' followers then serve it.
 *
 * <p>Not thread-safe: one caller at a time. Owns a producer; close it.
 */
public final class VersionRollback implements AutoCloseable {
  /** How long reading the version topics may take. */
  public static final Duration DEFAULT_READ_TIMEOUT = Duration.ofSeconds(30);

  private final TopicNames topics;
  private final Map<String, Object> kafkaProperties;
  private final SchemaRegistryClient registry;
  private final Clock clock;
  private final KafkaProducer<String, byte[]> producer;
  private final VersionPublisher publisher;

  public VersionRollback(
      TopicNames topics,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      Clock clock) {
    this.topics = topics;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.registry = registry;
    this.clock = clock;
    Map<String, Object> p = new HashMap<>(kafkaProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.publisher = new VersionPublisher(producer, topics, registry);
  }

  /**
   * Publishes a serving record that makes {@code model} serve {@code target} again.
   *
   * @return the ROLLBACK record written
   * @throws IllegalArgumentException if the model or version is unknown, the version was rejected,
   *     is served already, or its tensors are missing or corrupt
   */
  public ModelVersion rollback(String model, String target, String reason) {
    Map<String, VersionCatalog> all =
        VersionHistory.read(topics, kafkaProperties, registry, DEFAULT_READ_TIMEOUT);
    VersionCatalog catalog = all.get(model);
    if (catalog == null) {
      throw new IllegalArgumentException(
          "model '"
              + model
              + "' has no versions on "
              + topics.modelVersions()
              + (all.isEmpty() ? " (the topic holds none)" : "; models there: " + all.keySet()));
    }
    ModelVersion record = plan(catalog, target, reason);
    publisher.publishServing(record);
    return record;
  }

  /**
   * The ROLLBACK record that serves {@code target}, after checking it against {@code catalog}.
   *
   * @throws IllegalArgumentException as {@link #rollback}
   */
  public ModelVersion plan(VersionCatalog catalog, String target, String reason) {
    String serving = catalog.serving().map(ModelVersion::getVersion).orElse(null);
    Optional<ModelVersion> root = catalog.root();
    String base = root.map(ModelVersion::getParentVersion).orElse(null);
    if (serving == null) {
      serving = base;
    }
    if (target.equals(serving)) {
      throw new IllegalArgumentException(
          "model " + catalog.model() + " serves version " + target + " already; nothing to do");
    }
    if (target.equals(base)) {
      ModelVersion r = root.get();
      return ModelVersion.newBuilder()
          .setModelName(catalog.model())
          .setVersion(base)
          .setParentVersion(serving)
          .setBaseBundleSha256(r.getBaseBundleSha256())
          .setState(ModelVersionState.ROLLBACK)
          .setReason(reason)
          .setCreatedAt(clock.instant())
          .build();
    }
    ModelVersion v =
        catalog
            .version(target)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "version "
                            + target
                            + " of model "
                            + catalog.model()
                            + " is not on "
                            + topics.modelVersions()
                            + "; 'expertflow versions list' shows the versions there"));
    if (v.getState() == ModelVersionState.REJECTED) {
      throw new IllegalArgumentException(
          "version "
              + target
              + " was REJECTED ("
              + v.getReason()
              + ") and is never served; roll back to a PUBLISHED version");
    }
    try {
      catalog.checkExpertUpdates(v);
    } catch (ExpertWeightsException e) {
      throw new IllegalArgumentException(
          "version " + target + " cannot be served again: " + e.getMessage(), e);
    }
    return ModelVersionRecords.rollback(v, serving, reason, clock.instant());
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
