package io.expertflow.bench.worker;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import org.HdrHistogram.Histogram;

/**
 * One exactly-once worker ({@link WorkerApp}, as {@code expertflow worker} runs it) on its own
 * thread: warmed up, timed on preloaded requests, checked for lost and duplicate answers, then fed
 * open-loop at half of its measured rate for latency.
 */
final class WorkerRun {
  private static final int WARM_UP_DOCUMENTS = 100;

  private WorkerRun() {}

  /**
   * @param timed the documents of the throughput phase
   * @param spare other documents, for the warm-up and the latency phase
   * @param timedTokens tokens of {@code timed} (for the padding waste)
   */
  static Result measure(
      WorkerSettings settings,
      ModelBundle bundle,
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String prefix,
      ThreadCpu cpu,
      List<String> timed,
      List<String> spare,
      long timedTokens,
      Duration timeout)
      throws TimeoutException {
    try (WorkerApp worker =
            new WorkerApp(
                settings.worker(),
                settings.pipeline(),
                settings.chunking(),
                settings.engine(),
                bundle,
                kafka,
                registry);
        ResponseReader reader = new ResponseReader(kafka, registry, prefix + "responses");
        OpenLoopFeed feed = new OpenLoopFeed(kafka, registry, prefix + "requests", reader);
        PreloadedRequests preload = new PreloadedRequests(kafka, registry, prefix + "requests")) {
      Thread loop = new Thread(worker, "bench-worker");
      loop.start();
      WorkerProgress progress = new WorkerProgress(worker.meters());
      OpenLoopFeed.Result warm =
          feed.run(spare.subList(0, Math.min(WARM_UP_DOCUMENTS, spare.size())), 0, "warm", timeout);
      if (warm.lost() > 0) {
        throw new TimeoutException(warm.lost() + " warm-up requests were not answered");
      }

      Set<String> waiting = new HashSet<>(preload.write(timed, "timed"));
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
                  long last = progress.awaitCommitted(committedBefore + timed.size(), timeout);
                  return new double[] {(last - firstPoll) / 1e9, (firstPoll - committedAt) / 1e6};
                } catch (TimeoutException e) {
                  throw new IllegalStateException(e.getMessage(), e);
                }
              });
      BatchSizes batches = BatchSizes.of(worker.meters()).since(batchesBefore);
      reader.readAll(waiting, timeout);
      int lost = waiting.size();
      double rate = timed.size() / run.value()[0];

      List<String> paced = spare.subList(Math.min(WARM_UP_DOCUMENTS, spare.size()), spare.size());
      OpenLoopFeed.Result open = feed.run(paced, rate / 2, "paced", timeout);
      return new Result(
          rate,
          run.value()[0],
          run.value()[1],
          run,
          batches,
          1.0 - timedTokens / batches.paddedTokens(),
          lost + open.lost(),
          reader.duplicates(),
          rate / 2,
          paced.size(),
          open.latency());
    }
  }

  /**
   * @param documentsPerSecond timed documents / seconds from the first poll to the last commit
   * @param firstPollMs from the preload's commit to the worker's first poll that returned records
   * @param paddingWaste share of the encoder's computed tokens that were padding, timed phase
   */
  record Result(
      double documentsPerSecond,
      double seconds,
      double firstPollMs,
      Measured<double[]> cpu,
      BatchSizes batches,
      double paddingWaste,
      long lost,
      long duplicates,
      double openLoopRate,
      int openLoopDocuments,
      Histogram latency) {}
}
