package io.expertflow.worker;

import io.expertflow.memory.feed.FedMemory;
import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.batching.BatchCompletion;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.operators.batching.BatchStats;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.ops.OpsServer;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.versions.BaseModel;
import io.expertflow.worker.pipeline.MemoryAnswers;
import io.expertflow.worker.pipeline.ModelDocumentProcessor;
import io.expertflow.worker.pipeline.PipelineConfig;
import io.expertflow.worker.pipeline.ServingModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import io.expertflow.worker.reload.HeadBuilder;
import io.expertflow.worker.reload.HotReload;
import io.expertflow.worker.reload.ModelVersionFollower;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole worker, assembled: model bundle, engine (CUDA or CPU), tokenizer, inference pipeline,
 * delivery loop, metrics and probes, and (unless {@code reload.enabled=false}) hot reload. The
 * composition root for {@code expertflow worker}, the demo and the tests; {@link #run()} blocks
 * until {@link #close()}.
 *
 * <p>Hot reload: a {@link ModelVersionFollower} on a thread of its own follows {@code
 * model-versions} and {@code expert-updates}. The constructor waits (at most {@code
 * reload.catch.up.timeout.ms}) until it has read both topics to their end and serves the version
 * they name, so a worker that starts after an update takes its first request on that version; if it
 * cannot, the constructor throws and the worker does not start.
 *
 * <p>Threading: the constructor and {@link #run()} may run on different threads; {@link #close()}
 * may be called from any thread (a shutdown hook) and stops the follower first, so no swap happens
 * while the worker drains.
 */
public final class WorkerApp implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

  private final Engine engine;
  private final EncoderSession encoder;
  private final ServingModelRef models;
  private final ModelVersionFollower follower;
  private final ModelDocumentProcessor processor;
  private final PrometheusMeterRegistry meters;
  private final WorkerMetrics metrics;
  private final Runnable loop;
  private final AutoCloseable loopCloser;
  private final OpsServer ops;
  private final ModelBundle bundle;
  private final FedMemory memory;
  private final Tracing tracing;

  /** A worker that tokenises with the bundle's WordPiece tokenizer, chunked by {@code chunking}. */
  public WorkerApp(
      WorkerConfig config,
      PipelineConfig pipeline,
      ChunkingConfig chunking,
      EngineConfig engineConfig,
      ModelBundle bundle,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry) {
    this(
        config,
        pipeline,
        tokenization(bundle, chunking),
        engineConfig,
        bundle,
        kafkaProperties,
        registry);
  }

  /**
   * The bundle's TF-IDF model the worker answers with beside the head: none when the bundle has
   * none or {@link PipelineConfig#tfidf()} switches it off (the file is then not read).
   *
   * @throws io.expertflow.model.bundle.ModelBundleException if the file is there, switched on, and
   *     damaged or trained on labels the head lacks
   */
  static LexicalModel besideHead(ModelBundle bundle, PipelineConfig pipeline) {
    return pipeline.tfidf() ? bundle.readLexical().orElse(null) : null;
  }

  private static Tokenization tokenization(ModelBundle bundle, ChunkingConfig chunking) {
    bundle
        .manifest()
        .chunkCapMismatch(chunking.maxChunksPerDocument())
        .ifPresent(message -> LOG.warn("{}", message));
    return Tokenizations.forBundle(bundle, chunking);
  }

  /**
   * A worker that tokenises with {@code tokenization}, which must produce ids of the bundle's
   * vocabulary (a bundle brought with its own tokenizer, or a decorated one).
   */
  public WorkerApp(
      WorkerConfig config,
      PipelineConfig pipeline,
      Tokenization tokenization,
      EngineConfig engineConfig,
      ModelBundle bundle,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry) {
    this.bundle = bundle;
    // read before anything is opened: a damaged file fails the start with nothing to close
    LexicalModel lexical = besideHead(bundle, pipeline);
    this.engine = Engine.start(engineConfig);
    this.encoder = bundle.openEncoder(engine);
    this.models =
        new ServingModelRef(
            new ServingModel(
                bundle.manifest().name(),
                bundle.manifest().version(),
                bundle.openHead(engine),
                lexical,
                bundle.manifest().encoderId()));
    try {
      this.follower =
          config.reload().enabled()
              ? followVersions(config, bundle, kafkaProperties, registry)
              : null;
    } catch (RuntimeException e) {
      models.current().head().close();
      encoder.close();
      engine.close();
      throw e;
    }
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    this.metrics = new WorkerMetrics(meters);
    this.tracing = Tracing.fromEnvironment("worker");
    try {
      this.memory =
          config.memory().enabled() ? openMemory(config, kafkaProperties, registry) : null;
    } catch (RuntimeException e) {
      if (follower != null) {
        follower.close();
      }
      models.current().head().close();
      encoder.close();
      engine.close();
      throw e;
    }
    this.processor =
        new ModelDocumentProcessor(
            pipeline,
            encoder,
            tokenization,
            models,
            batchMetrics(metrics),
            metrics::expertChosen,
            Clock.systemUTC(),
            config.workerId(),
            memory == null
                ? null
                : new MemoryAnswers(memory.memory(), config.memory(), metrics::memoryLookup),
            tracing);
    if (config.deliveryMode() == DeliveryMode.SHARE_GROUP) {
      ShareGroupWorker w =
          new ShareGroupWorker(
              config, kafkaProperties, registry, processor, metrics, Clock.systemUTC());
      this.loop = w;
      this.loopCloser = w;
      this.ops = startOps(config, () -> w.isReady() && followingVersions() && memoryReady());
    } else {
      InferenceWorker w =
          new InferenceWorker(
              config, kafkaProperties, registry, processor, metrics, Clock.systemUTC(), tracing);
      metrics.inFlightGauge(w::inFlight);
      this.loop = w;
      this.loopCloser = w;
      this.ops = startOps(config, () -> w.isReady() && followingVersions() && memoryReady());
    }
    if (follower != null) {
      metrics.followingGauge(follower::following);
    }
    LOG.info(
        "worker {} serving {} {}{} on {}{}{}",
        config.workerId(),
        bundle.manifest().name(),
        models.current().version(),
        models.current().besideHead()
            + (pipeline.tfidf() || !bundle.hasLexical()
                ? ""
                : " (its TF-IDF model switched off: tfidf.enabled=false)"),
        engine.provider(),
        // the engine's warning gave the reason and what to install, once
        engine
            .fallbackReason()
            .map(r -> " (CUDA unavailable, see the engine's warning)")
            .orElse(""),
        follower == null ? ", hot reload off" : ", following " + config.topic("model-versions"));
    if (engine.provider() == ExecutionProvider.CUDA) {
      EncoderVariant.cudaAdvice(bundle.manifest().encoderVariant())
          .ifPresent(advice -> LOG.warn("worker {}: {}", config.workerId(), advice));
    }
  }

  /** Opens the document memory and starts its feed ({@code memory.enabled}). */
  private FedMemory openMemory(
      WorkerConfig config, Map<String, Object> kafkaProperties, SchemaRegistryClient registry) {
    Map<String, Object> clientProperties = new HashMap<>(kafkaProperties);
    clientProperties.putAll(config.kafkaOverrides());
    FedMemory fed =
        FedMemory.open(
            config.memory(),
            encoder.hiddenSize(),
            config.workerId() + "-memory",
            config.topic(LogicalTopic.MEMORY.logicalName()),
            clientProperties,
            registry);
    metrics.memoryGauges(
        () -> fed.feed().applied(), () -> fed.feed().skipped(), () -> fed.ready() ? 1 : 0);
    return fed;
  }

  /** False while the document memory has not caught up with its topic, or its feed died. */
  private boolean memoryReady() {
    return memory == null || memory.ready();
  }

  /** The document memory, when {@code memory.enabled}. */
  public Optional<FedMemory> memory() {
    return Optional.ofNullable(memory);
  }

  /** Starts the follower and waits until it has caught up with the version topics. */
  private ModelVersionFollower followVersions(
      WorkerConfig config,
      ModelBundle bundle,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry) {
    Map<String, Object> clientProperties = new HashMap<>(kafkaProperties);
    clientProperties.putAll(config.kafkaOverrides());
    // the follower reads whole topics by assignment: group settings meant for the delivery loop
    // (static membership, protocol) do not apply to it
    clientProperties.keySet().removeIf(k -> k.startsWith("group."));
    clientProperties.put("client.id", config.workerId() + "-versions");
    return HotReload.start(
        config.workerId(),
        config.reload().follower(config.topicPrefix()),
        config.reload().catchUpTimeout(),
        clientProperties,
        registry,
        BaseModel.of(bundle),
        HeadBuilder.onnx(engine, bundle.manifest().head()),
        models);
  }

  private OpsServer startOps(WorkerConfig config, java.util.function.BooleanSupplier ready) {
    if (config.httpPort() < 0) {
      return null;
    }
    try {
      OpsServer server = new OpsServer(config.httpPort(), meters::scrape, ready);
      LOG.info("metrics and probes on http://localhost:{}/metrics", server.port());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open http.port " + config.httpPort() + ": " + ErrorText.of(e), e);
    }
  }

  private static BatchListener batchMetrics(WorkerMetrics metrics) {
    return new BatchListener() {
      @Override
      public void onBatchCompleted(BatchCompletion c) {
        BatchStats s = c.stats();
        metrics.batch(
            s.size(),
            s.paddedTokens(),
            s.tokens(),
            Duration.ofNanos(s.oldestQueueDelayNanos()),
            c.durationNanos());
        if (c.engineCalls() > 1) {
          metrics.bisected(c.succeeded());
        }
      }
    };
  }

  /** The serving model reference, for hot reload. */
  public ServingModelRef models() {
    return models;
  }

  /** The version that the next batch runs on. */
  public String servingVersion() {
    return models.current().version();
  }

  /** False once a hot reload follower has died: the worker would serve an old version silently. */
  private boolean followingVersions() {
    return follower == null || follower.following();
  }

  /** The hot reload follower; empty when {@code reload.enabled=false}. */
  public Optional<ModelVersionFollower> follower() {
    return Optional.ofNullable(follower);
  }

  public Engine engine() {
    return engine;
  }

  public ModelBundle bundle() {
    return bundle;
  }

  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** Port of the metrics and probes server, or -1 if none. */
  public int opsPort() {
    return ops == null ? -1 : ops.port();
  }

  @Override
  public void run() {
    loop.run();
  }

  @Override
  public void close() {
    if (follower != null) {
      follower.close();
    }
    try {
      loopCloser.close();
    } catch (Exception e) {
      LOG.warn("stopping the delivery loop failed: {}", e.toString());
    }
    processor.close();
    if (memory != null) {
      memory.close();
    }
    if (ops != null) {
      ops.close();
    }
    models.current().head().close();
    encoder.close();
    engine.close();
    tracing.close();
  }
}
