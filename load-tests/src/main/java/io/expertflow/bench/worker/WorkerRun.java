package io.expertflow.bench.worker;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;

/**
 * One exactly-once worker ({@link WorkerApp}, as {@code expertflow worker} runs it) on its own
 * thread, and the clients that measure it: timed rounds on preloaded requests, an open-loop feed
 * for latency. Not thread-safe; one phase at a time.
 */
final class WorkerRun implements AutoCloseable {
  /** Name of the worker's ONNX Runtime pool threads in the CPU table (15 characters at most). */
  static final String ENGINE_THREADS = "worker-ort-pool";

  private final WorkerApp worker;
  private final OutcomeReader reader;
  private final OpenLoopFeed feed;
  private final PreloadedRequests preload;
  private final WorkerProgress progress;
  private final ThreadCpu cpu;
  private final Duration timeout;
  private final Thread loop;
  private int warmUps;

  WorkerRun(
      WorkerSettings settings,
      ModelBundle bundle,
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String prefix,
      ThreadCpu cpu,
      Duration timeout) {
    this.worker =
        onNamedThread(
            () ->
                new WorkerApp(
                    settings.worker(),
                    settings.pipeline(),
                    settings.chunking(),
                    settings.engine(),
                    bundle,
                    kafka,
                    registry));
    this.reader =
        new OutcomeReader(kafka, registry, false, new TopicNames(prefix), OutcomeReader.From.END);
    this.feed = new OpenLoopFeed(kafka, registry, new TopicNames(prefix).requests(), reader);
    this.preload = new PreloadedRequests(kafka, registry, new TopicNames(prefix).requests());
    this.progress = new WorkerProgress(worker.meters());
    this.cpu = cpu;
    this.timeout = timeout;
    this.loop = new Thread(worker, "bench-worker");
    loop.start();
  }

  /**
   * Builds the worker on a thread named {@value #ENGINE_THREADS}: ONNX Runtime's native pool
   * threads take the name of the thread that opened their session, so the CPU table can tell the
   * worker's engine threads from the ceiling's (opened on the main thread, named "java").
   */
  private static WorkerApp onNamedThread(java.util.function.Supplier<WorkerApp> build) {
    java.util.concurrent.atomic.AtomicReference<Object> out =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            () -> {
              try {
                out.set(build.get());
              } catch (RuntimeException | Error e) {
                out.set(e);
              }
            },
            ENGINE_THREADS);
    t.start();
    try {
      t.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while building the worker", e);
    }
    if (out.get() instanceof RuntimeException e) {
      throw e;
    }
    if (out.get() instanceof Error e) {
      throw e;
    }
    return (WorkerApp) out.get();
  }

  /** Feeds {@code texts} all at once and waits for every answer (joins the group, warms up). */
  void warmUp(List<String> texts) throws TimeoutException {
    OpenLoopFeed.Result warm = feed.run(texts, texts.size(), 0, "warm-" + warmUps++, timeout);
    if (warm.lost() > 0) {
      throw new TimeoutException(warm.lost() + " warm-up requests were not answered");
    }
  }

  /**
   * Preloads {@code texts} in one transaction, commits it, and times the worker from its first poll
   * that returns them to the commit of the last outcome; then reads every response back.
   */
  Timed timed(List<String> texts, String name) {
    Set<String> waiting = new HashSet<>(preload.write(texts, name));
    long polledBefore = progress.polled();
    long committedBefore = progress.committed();
    BatchSizes batchesBefore = BatchSizes.of(worker.meters());
    Measured<double[]> run =
        Measured.of(
            cpu,
            () -> {
              long committedAt = System.nanoTime();
              preload.commit();
              try {
                long firstPoll = progress.awaitPolledBeyond(polledBefore, timeout);
                long last = progress.awaitCommitted(committedBefore + texts.size(), timeout);
                return new double[] {(last - firstPoll) / 1e9, (firstPoll - committedAt) / 1e6};
              } catch (TimeoutException e) {
                throw new IllegalStateException(e.getMessage(), e);
              }
            });
    BatchSizes batches = BatchSizes.of(worker.meters()).since(batchesBefore);
    reader.readUntilAnswered(waiting, timeout);
    waiting.retainAll(reader.unanswered(waiting));
    return new Timed(texts.size() / run.value()[0], run.value()[1], run, batches, waiting.size());
  }

  /**
   * Submits {@code count} requests (cycling through {@code texts}) at a mean of {@code rate}
   * documents/s, Poisson arrivals, and records their end-to-end latency from the intended send
   * time.
   */
  OpenLoopFeed.Result openLoop(List<String> texts, int count, double rate, String name) {
    return feed.run(texts, count, rate, name, timeout);
  }

  long duplicates() {
    return reader.duplicates().values().stream().mapToLong(n -> n - 1).sum();
  }

  @Override
  public void close() throws InterruptedException {
    preload.close();
    feed.close();
    reader.close();
    worker.close();
    loop.join(timeout.toMillis());
  }

  /**
   * One timed round.
   *
   * @param documentsPerSecond documents / seconds from the first poll to the last commit
   * @param firstPollMs from the preload's commit to the worker's first poll that returned records
   * @param run the round's wall time and CPU per component
   * @param lost preloaded requests whose response was not read back
   */
  record Timed(
      double documentsPerSecond,
      double firstPollMs,
      Measured<double[]> run,
      BatchSizes batches,
      int lost) {}
}
