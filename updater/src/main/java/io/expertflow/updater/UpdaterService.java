package io.expertflow.updater;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.update.UpdateResult;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.versions.AssignedPartitions;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.ExpertWeightsCodec;
import io.expertflow.versions.ModelVersionRecords;
import io.expertflow.versions.VersionCatalog;
import io.expertflow.versions.VersionKeys;
import io.expertflow.versions.VersionPublisher;
import io.expertflow.versions.VersionRecords;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The weekly expert update as a service. Reads {@code model-versions} and {@code expert-updates}
 * (to know the serving version and every window already updated from), {@code expert-stats} and
 * {@code feedback.attributed}, all from the beginning without a consumer group, so a restart
 * rebuilds its state from the topics alone. When a window's statistics are complete (see {@link
 * WindowBuffer}) it updates from it with {@link WindowUpdate} (experts chosen, labels added, {@code
 * ExpertUpdater} run from the serving version), and publishes the outcome with {@link
 * VersionPublisher}: a PUBLISHED version with its tensors, or a REJECTED record with the figures. A
 * window that already has a version is not updated from again (version ids are deterministic, so a
 * rerun would only repeat it).
 *
 * <p>Threading: {@link #run} runs the loop on the calling thread, which alone touches the clients;
 * {@link #close} may be called from any thread and waits for the loop to end.
 */
public final class UpdaterService implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(UpdaterService.class);

  private final UpdaterConfig config;
  private final BaseModel base;
  private final WindowUpdate update;
  private final Clock clock;
  private final UpdateListener listener;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, byte[]> producer;
  private final VersionPublisher publisher;
  private final VersionCatalog catalog;
  private final WindowBuffer windows;
  private final AvroDeserializer<ModelVersion> versions;
  private final AvroDeserializer<ExpertWeights> weights;
  private final AvroDeserializer<ExpertWindowStats> stats;
  private final AvroDeserializer<AttributedFeedback> feedback;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile boolean caughtUp;

  /**
   * @param kafkaProperties connection settings for both clients (bootstrap servers, security)
   */
  public UpdaterService(
      UpdaterConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      BaseModel base,
      ReplayReservoir replay,
      GuardSet guard,
      Clock clock,
      UpdateListener listener) {
    this.config = Objects.requireNonNull(config, "config");
    this.base = Objects.requireNonNull(base, "base");
    this.update = new WindowUpdate(config, base, replay, guard);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.listener = Objects.requireNonNull(listener, "listener");
    Map<String, Object> c = new HashMap<>(kafkaProperties);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a missing topic is an error to report, not one to create with the broker's defaults
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> p = new HashMap<>(kafkaProperties);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    this.publisher = new VersionPublisher(producer, config.topics(), registry);
    this.catalog = new VersionCatalog(base.name());
    this.windows = new WindowBuffer(config.settle(), config.maxWait());
    this.versions = new AvroDeserializer<>(registry, ModelVersion.class);
    this.weights = new AvroDeserializer<>(registry, ExpertWeights.class);
    this.stats = new AvroDeserializer<>(registry, ExpertWindowStats.class);
    this.feedback = new AvroDeserializer<>(registry, AttributedFeedback.class);
  }

  @Override
  public void run() {
    started = true;
    TopicNames t = config.topics();
    try {
      AssignedPartitions assigned =
          AssignedPartitions.fromBeginning(
              consumer,
              List.of(
                  t.modelVersions(), t.expertUpdates(), t.expertStats(), t.feedbackAttributed()),
              List.of(t.modelVersions(), t.expertUpdates()),
              Duration.ofSeconds(30));
      LOG.info("updater of {} reading {} partitions", base.name(), assigned.partitions().size());
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(config.pollTimeout())) {
          accept(r);
        }
        if (!caughtUp && assigned.caughtUp()) {
          caughtUp = true;
          LOG.info(
              "updater caught up: serving {}, {} versions in the history",
              catalog.serving().map(ModelVersion::getVersion).orElse(base.version()),
              catalog.history().size());
        }
        // windows wait until the version topics are read, so no finished window is redone
        Optional<Instant> ready = caughtUp ? windows.ready(clock.instant()) : Optional.empty();
        while (running && ready.isPresent()) {
          process(windows.take(ready.get()));
          ready = windows.ready(clock.instant());
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close();
      producer.close(Duration.ofSeconds(5));
      stopped.countDown();
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    TopicNames t = config.topics();
    try {
      if (r.topic().equals(t.modelVersions())) {
        catalog.onModelVersion(
            r.key(), r.value() == null ? null : versions.deserialize(r.topic(), r.value()));
      } else if (r.topic().equals(t.expertUpdates())) {
        catalog.onExpertWeights(
            r.key(), r.value() == null ? null : weights.deserialize(r.topic(), r.value()));
      } else if (r.value() == null) {
        return;
      } else if (r.topic().equals(t.expertStats())) {
        windows.addStats(stats.deserialize(r.topic(), r.value()), clock.instant());
      } else {
        windows.addFeedback(feedback.deserialize(r.topic(), r.value()));
      }
    } catch (RuntimeException e) {
      VersionRecords.skipped(LOG, r, e);
    }
  }

  /** Updates from one closed window, unless it has a version already. */
  void process(WindowBuffer.ClosedWindow window) {
    long began = System.nanoTime();
    List<ModelVersion> done = catalog.versionsOfWindow(window.start().toEpochMilli());
    if (!done.isEmpty()) {
      completeInterruptedPublish(done);
      LOG.info(
          "window {} was updated from already ({}); skipping",
          window.start(),
          done.get(0).getVersion());
      return;
    }
    ModelVersion parent = catalog.serving().orElse(null);
    if (parent != null && !parent.getBaseBundleSha256().equals(base.sha256())) {
      LOG.error(
          "model-versions serves {} of bundle {}, this updater has bundle {}; window {} is not"
              + " updated from. Start the updater with the bundle the workers serve.",
          parent.getVersion(),
          parent.getBaseBundleSha256(),
          base.sha256(),
          window.start());
      return;
    }
    MoeHeadWeights served =
        parent == null ? base.weights() : catalog.weightsOf(parent, base.weights());
    String parentVersion = parent == null ? base.version() : parent.getVersion();
    WindowUpdate.Outcome outcome = update.from(window, served, parentVersion, catalog.history());
    UpdateResult result = outcome.result();
    ModelVersion record = ModelVersionRecords.ofUpdate(base, parent, result, clock.instant());
    publisher.publish(record, result.weights());
    catalog.onModelVersion(VersionKeys.history(base.name(), record.getVersion()), record);
    if (record.getState() == ModelVersionState.PUBLISHED) {
      catalog.onModelVersion(VersionKeys.serving(base.name()), record);
      for (int e : record.getChangedExperts()) {
        catalog.onExpertWeights(
            VersionKeys.expertUpdate(e, record.getVersion()),
            ExpertWeightsCodec.encode(
                base.name(), record.getVersion(), e, result.weights().expertTensors(e)));
      }
    }
    if (record.getState() == ModelVersionState.PUBLISHED && config.keepVersions() > 0) {
      removeUnneededTensors();
    }
    LOG.info(
        "window {}: version {} {} ({} feedback samples from {} feedback events in {} attributed"
            + " records, one per expert that served a request, {} of them on another bundle's"
            + " answers and left out of choosing experts; left out: {}): {}",
        window.start(),
        record.getVersion(),
        record.getState(),
        outcome.samples().samples().size(),
        outcome.samples().events(),
        window.feedback().size(),
        outcome.otherBundles(),
        outcome.samples().skipped().isEmpty() ? "none" : outcome.samples().skipped(),
        result.reason());
    listener.updated(result, record, Duration.ofNanos(System.nanoTime() - began));
  }

  /**
   * Tombstones the {@code expert-updates} records that neither the serving version nor the newest
   * {@link UpdaterConfig#keepVersions} published versions need, so the compacted topic does not
   * grow by every week's tensors for ever. A failure is logged: the records stay until the next
   * version is published.
   */
  private void removeUnneededTensors() {
    List<String> unneeded = catalog.unneededExpertUpdates(config.keepVersions());
    if (unneeded.isEmpty()) {
      return;
    }
    try {
      publisher.removeExpertUpdates(unneeded);
      unneeded.forEach(key -> catalog.onExpertWeights(key, null));
      LOG.info(
          "removed {} expert-updates records no kept version needs (the newest {} published"
              + " versions and the serving one stay restorable)",
          unneeded.size(),
          config.keepVersions());
    } catch (IllegalStateException e) {
      LOG.warn(
          "could not remove {} unneeded expert-updates records: {}",
          unneeded.size(),
          e.getMessage());
    }
  }

  /** A published version whose serving record a crash kept from being written is made serving. */
  private void completeInterruptedPublish(List<ModelVersion> done) {
    String serving = catalog.serving().map(ModelVersion::getVersion).orElse(base.version());
    for (ModelVersion v : done) {
      if (v.getState() == ModelVersionState.PUBLISHED
          && serving.equals(v.getParentVersion())
          && catalog.missingExpertUpdates(v).isEmpty()) {
        LOG.warn(
            "version {} was published without its serving record; writing it now", v.getVersion());
        publisher.publishServing(v);
        catalog.onModelVersion(VersionKeys.serving(base.name()), v);
      }
    }
  }

  /**
   * Whether the loop runs and has read the version topics to their end (so it may update from a
   * closing window): the updater's readiness.
   */
  public boolean ready() {
    return running && caughtUp;
  }

  /** Stops the loop and waits (at most 30 s) until it has closed its clients. */
  @Override
  public void close() {
    running = false;
    if (!started) {
      consumer.close();
      producer.close(Duration.ofSeconds(5));
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("the updater loop did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
