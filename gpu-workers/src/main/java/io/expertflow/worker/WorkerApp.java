package io.expertflow.worker;

import io.expertflow.model.Tokenization;
import io.expertflow.model.WordPieceTokenization;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.operators.batching.BatchCompletion;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.operators.batching.BatchStats;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.pipeline.ModelDocumentProcessor;
import io.expertflow.worker.pipeline.PipelineConfig;
import io.expertflow.worker.pipeline.ServingModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A whole worker, assembled: model bundle, engine (CUDA or CPU), tokenizer, inference pipeline,
 * delivery loop, metrics and probes. The composition root for {@code expertflow worker}, the demo
 * and the tests; {@link #run()} blocks until {@link #close()}.
 */
public final class WorkerApp implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerApp.class);

  private final Engine engine;
  private final EncoderSession encoder;
  private final ServingModelRef models;
  private final ModelDocumentProcessor processor;
  private final PrometheusMeterRegistry meters;
  private final WorkerMetrics metrics;
  private final Runnable loop;
  private final AutoCloseable loopCloser;
  private final OpsServer ops;
  private final ModelBundle bundle;

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
        WordPieceTokenization.fromFile(bundle.tokenizerFile(), chunking),
        engineConfig,
        bundle,
        kafkaProperties,
        registry);
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
    this.engine = Engine.start(engineConfig);
    this.encoder = bundle.openEncoder(engine);
    this.models =
        new ServingModelRef(
            new ServingModel(
                bundle.manifest().name(), bundle.manifest().version(), bundle.openHead(engine)));
    this.meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    this.metrics = new WorkerMetrics(meters);
    this.processor =
        new ModelDocumentProcessor(
            pipeline,
            encoder,
            tokenization,
            models,
            batchMetrics(metrics),
            metrics::expertChosen,
            Clock.systemUTC(),
            config.workerId());
    if (config.deliveryMode() == DeliveryMode.SHARE_GROUP) {
      ShareGroupWorker w =
          new ShareGroupWorker(
              config, kafkaProperties, registry, processor, metrics, Clock.systemUTC());
      this.loop = w;
      this.loopCloser = w;
      this.ops = startOps(config, w::isReady);
    } else {
      InferenceWorker w =
          new InferenceWorker(
              config, kafkaProperties, registry, processor, metrics, Clock.systemUTC());
      metrics.inFlightGauge(w::inFlight);
      this.loop = w;
      this.loopCloser = w;
      this.ops = startOps(config, w::isReady);
    }
    LOG.info(
        "worker {} serving {} {} on {}{}",
        config.workerId(),
        bundle.manifest().name(),
        bundle.manifest().version(),
        engine.provider(),
        engine.fallbackReason().map(r -> " (CUDA unavailable: " + r + ")").orElse(""));
  }

  private OpsServer startOps(WorkerConfig config, java.util.function.BooleanSupplier ready) {
    if (config.httpPort() < 0) {
      return null;
    }
    try {
      OpsServer server = new OpsServer(config.httpPort(), meters, ready);
      LOG.info("metrics and probes on http://localhost:{}/metrics", server.port());
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open http.port " + config.httpPort() + ": " + e.getMessage(), e);
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
    try {
      loopCloser.close();
    } catch (Exception e) {
      LOG.warn("stopping the delivery loop failed: {}", e.toString());
    }
    processor.close();
    if (ops != null) {
      ops.close();
    }
    models.current().head().close();
    encoder.close();
    engine.close();
  }
}
