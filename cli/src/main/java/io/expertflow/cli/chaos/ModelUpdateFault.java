package io.expertflow.cli.chaos;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.ModelVersionRecords;
import io.expertflow.versions.VersionPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A model update and its rollback during the load, through the same protocol as the updater and
 * {@code expertflow versions rollback}: a PUBLISHED version that changes one expert (its tensors
 * are the base bundle's own, republished under the new version id, so answers do not change but
 * every worker hot-loads a new session), then, {@link #SERVED} later, a ROLLBACK record that serves
 * the base bundle again and every worker hot-loads once more.
 *
 * <p>Not thread-safe: the fault thread calls it.
 */
final class ModelUpdateFault {
  /** How long the update is served before the rollback. */
  static final Duration SERVED = Duration.ofSeconds(10);

  private final Map<String, Object> kafka;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Path bundle;
  private BaseModel base;

  ModelUpdateFault(
      Map<String, Object> kafka, SchemaRegistryClient registry, TopicNames topics, Path bundle) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = topics;
    this.bundle = bundle;
  }

  /** Publishes update {@code n}, serves it {@link #SERVED}, rolls back to the base; its id. */
  String apply(int n) throws InterruptedException {
    if (base == null) {
      base = BaseModel.of(ModelBundle.load(bundle));
    }
    int expert = n % base.weights().config().experts();
    String version = "chaos-update-" + n + "-" + Instant.now().toEpochMilli();
    ModelVersion update =
        ModelVersion.newBuilder()
            .setModelName(base.name())
            .setVersion(version)
            .setParentVersion(base.version())
            .setBaseBundleSha256(base.sha256())
            .setState(ModelVersionState.PUBLISHED)
            .setChangedExperts(List.of(expert))
            .setExpertVersions(Map.of(Integer.toString(expert), version))
            .setReason("chaos run: expert " + expert + " republished unchanged")
            .setCreatedAt(Instant.now())
            .build();
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      VersionPublisher publisher = new VersionPublisher(producer, topics, registry);
      publisher.publish(update, base.weights());
      Thread.sleep(SERVED.toMillis());
      publisher.publishServing(
          ModelVersionRecords.rollbackToBase(
              base, version, "chaos run: rolled back", Instant.now()));
    }
    return version;
  }
}
