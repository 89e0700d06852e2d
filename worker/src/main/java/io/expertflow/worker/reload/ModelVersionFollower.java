package io.expertflow.worker.reload;

import io.expertflow.avro.ModelVersion;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.versions.AssignedPartitions;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.ExpertWeightsException;
import io.expertflow.versions.VersionCatalog;
import io.expertflow.versions.VersionRecords;
import io.expertflow.worker.pipeline.ServingModelRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a worker serving the model's current version. Reads {@code model-versions} and {@code
 * expert-updates} from the beginning without a consumer group (a worker that starts later rebuilds
 * the current version from the compacted topics), and whenever the serving record names a version
 * other than the one served: rebuilds its weights from the base bundle's (checking every expert
 * record's SHA-256), builds and opens its head on this thread, off the hot path, and swaps it into
 * the {@link ServingModelRef}; the replaced session is closed once its last batch is done. REJECTED
 * versions are never served; a version of another base bundle, or with a corrupt or missing expert
 * record, is logged and left unserved, and the current one stays.
 *
 * <p>Threading: {@link #run} runs the loop on the calling thread, which alone touches the consumer
 * and builds sessions; {@link #close} may be called from any thread.
 */
public final class ModelVersionFollower implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelVersionFollower.class);

  private final FollowerConfig config;
  private final BaseModel base;
  private final HeadBuilder heads;
  private final ServingModelRef serving;
  private final Consumer<String, byte[]> consumer;
  private final VersionCatalog catalog;
  private final VersionRecords records;
  private final CompletableFuture<String> caughtUp = new CompletableFuture<>();
  private final Set<String> unservable = new HashSet<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean started;
  private volatile String servedVersion;
  private volatile Throwable failure;

  /**
   * @param base the bundle the worker loaded; {@code serving} must serve it (or a version of it)
   * @param heads opens the head of a rebuilt version
   */
  public ModelVersionFollower(
      FollowerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      BaseModel base,
      HeadBuilder heads,
      ServingModelRef serving) {
    this(config, consumer(kafkaProperties), registry, base, heads, serving);
  }

  /** A follower reading through {@code consumer}, which it owns and closes. */
  ModelVersionFollower(
      FollowerConfig config,
      Consumer<String, byte[]> consumer,
      SchemaRegistryClient registry,
      BaseModel base,
      HeadBuilder heads,
      ServingModelRef serving) {
    this.config = Objects.requireNonNull(config, "config");
    this.base = Objects.requireNonNull(base, "base");
    this.heads = Objects.requireNonNull(heads, "heads");
    this.serving = Objects.requireNonNull(serving, "serving");
    this.consumer = Objects.requireNonNull(consumer, "consumer");
    this.catalog = new VersionCatalog(base.name());
    this.records = new VersionRecords(registry);
    this.servedVersion = serving.current().version();
  }

  private static Consumer<String, byte[]> consumer(Map<String, Object> kafkaProperties) {
    Map<String, Object> c = new HashMap<>(kafkaProperties);
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // a missing topic is an error to report, not one to create with the broker's defaults
    c.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    c.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    return new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
  }

  /**
   * Completes with the served version once the follower has read both topics to their ends as of
   * its start and applied what they say; a worker may wait for it before it reports ready.
   */
  public CompletableFuture<String> caughtUp() {
    return caughtUp;
  }

  /**
   * True while the follower runs and has not failed: a worker whose follower died would serve an
   * old version silently, so it reports not ready instead ({@code /readyz}, and the gauge {@code
   * expertflow.worker.model_versions.following}).
   */
  public boolean following() {
    return running && failure == null;
  }

  /** Why the follower stopped following, if it failed. */
  public Optional<Throwable> failure() {
    return Optional.ofNullable(failure);
  }

  /** The version this follower last put into service. */
  public String servedVersion() {
    return servedVersion;
  }

  @Override
  public void run() {
    started = true;
    try {
      List<String> topics =
          List.of(config.topics().modelVersions(), config.topics().expertUpdates());
      AssignedPartitions assigned =
          AssignedPartitions.fromBeginning(consumer, topics, topics, Duration.ofSeconds(30));
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(config.pollTimeout())) {
          accept(r);
        }
        // while catching up, only the last serving record matters: build nothing before it
        if (caughtUp.isDone() || assigned.caughtUp()) {
          apply();
          caughtUp.complete(servedVersion);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        failure = e;
        throw e;
      }
    } catch (RuntimeException | Error e) {
      failure = e;
      caughtUp.completeExceptionally(e);
      throw e;
    } finally {
      consumer.close();
      stopped.countDown();
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    try {
      if (r.topic().equals(config.topics().modelVersions())) {
        catalog.onModelVersion(r.key(), records.version(r));
      } else {
        catalog.onExpertWeights(r.key(), records.weights(r));
      }
    } catch (RuntimeException e) {
      VersionRecords.skipped(LOG, r, e);
    }
  }

  /** Serves the catalog's serving version if it is new, servable and complete. */
  private void apply() {
    Optional<ModelVersion> target = catalog.serving();
    if (target.isEmpty()) {
      return;
    }
    ModelVersion v = target.get();
    String id = v.getVersion();
    if (id.equals(servedVersion) || unservable.contains(id)) {
      return;
    }
    if (!v.getBaseBundleSha256().equals(base.sha256())) {
      unservable.add(id);
      LOG.error(
          "version {} applies to bundle {}, this worker runs bundle {}; it keeps serving {}",
          id,
          v.getBaseBundleSha256(),
          base.sha256(),
          servedVersion);
      return;
    }
    if (!catalog.missingExpertUpdates(v).isEmpty()) {
      LOG.debug("version {} waits for {}", id, catalog.missingExpertUpdates(v));
      return; // the tensors are written first, but may be read after the version
    }
    MoeHeadWeights w;
    try {
      w = catalog.weightsOf(v, base.weights());
    } catch (ExpertWeightsException e) {
      unservable.add(id);
      LOG.error("version {} cannot be served, keeping {}: {}", id, servedVersion, e.getMessage());
      return;
    }
    long start = System.nanoTime();
    HeadSession session;
    try {
      session = heads.open(w);
    } catch (RuntimeException e) {
      unservable.add(id);
      LOG.error(
          "the head of version {} failed to open, keeping {}: {}", id, servedVersion, e.toString());
      return;
    }
    String previous = servedVersion;
    serving
        .swap(serving.current().withHead(id, session))
        .whenComplete((old, err) -> LOG.info("version {} retired", old.version()));
    servedVersion = id;
    LOG.info(
        "serving {} version {} ({}, was {}); built in {} ms",
        base.name(),
        id,
        v.getState(),
        previous,
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
  }

  /** Stops the loop and waits (at most 30 s) until it has closed its consumer. */
  @Override
  public void close() {
    running = false;
    if (!started) {
      consumer.close();
      return;
    }
    consumer.wakeup();
    try {
      if (!stopped.await(30, TimeUnit.SECONDS)) {
        LOG.warn("the model version follower did not stop within 30 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
