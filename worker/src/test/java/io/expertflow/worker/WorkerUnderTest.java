package io.expertflow.worker;

import io.expertflow.model.Tokenization;
import io.expertflow.model.WordPieceTokenization;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A whole {@link WorkerApp} on a model bundle, its delivery loop running on a thread of its own, as
 * {@code expertflow worker} runs it. Test scaffolding: one CPU engine thread, everything else at
 * its defaults.
 */
final class WorkerUnderTest implements AutoCloseable {
  /** Labels of the tiny test bundle. */
  static final List<String> LABELS = List.of("press", "learned", "fiction", "other");

  private final SchemaRegistryClient registry;
  private final WorkerApp app;
  private final Thread loop;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private boolean closed;

  private WorkerUnderTest(SchemaRegistryClient registry, WorkerApp app, String workerId) {
    this.registry = registry;
    this.app = app;
    this.loop =
        new Thread(
            () -> {
              try {
                app.run();
              } catch (Throwable t) {
                failure.set(t);
              }
            },
            "worker-loop-" + workerId);
    loop.start();
  }

  /**
   * The worker's properties, keyed as in {@link WorkerKeys}: group {@code <prefix>workers}; in
   * consumer-group modes a 6 s session so a dead member leaves its group quickly.
   */
  static Map<String, String> properties(String workerId, String mode, String topicPrefix) {
    Map<String, String> p = new HashMap<>();
    p.put("worker.id", workerId);
    p.put("delivery.mode", mode);
    p.put("topic.prefix", topicPrefix);
    p.put("group.id", topicPrefix + "workers");
    p.put("drain.timeout.ms", "20000");
    if (!mode.equals("share_group")) { // share consumers reject these settings
      p.put("kafka.session.timeout.ms", "6000");
      p.put("kafka.heartbeat.interval.ms", "1000");
    }
    return p;
  }

  static EngineConfig engine() {
    return EngineConfig.defaults().withProvider(ExecutionProvider.CPU).withIntraOpThreads(1);
  }

  /** The production tokenization of {@code bundle}. */
  static Tokenization tokenization(ModelBundle bundle) {
    return WordPieceTokenization.fromFile(bundle.tokenizerFile(), ChunkingConfig.defaults());
  }

  static WorkerUnderTest start(
      Map<String, String> properties,
      ModelBundle bundle,
      Tokenization tokenization,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry) {
    WorkerConfig config = WorkerConfig.fromProperties(properties);
    WorkerApp app =
        new WorkerApp(
            config,
            PipelineConfig.defaults(),
            tokenization,
            engine(),
            bundle,
            kafkaProperties,
            registry);
    return new WorkerUnderTest(registry, app, config.workerId());
  }

  WorkerApp app() {
    return app;
  }

  /** What ended the delivery loop, if it ended with an exception. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }

  /** Stops the worker as a shutdown does: drains, commits, closes. Idempotent. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      app.close();
      loop.join(TimeUnit.SECONDS.toMillis(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      registry.close();
    }
  }
}
