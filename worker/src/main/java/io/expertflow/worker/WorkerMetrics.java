package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ResponseStatus;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The worker's Micrometer meters (names under {@code expertflow.worker.*}): requests in, responses
 * out by status, dead letters by reason, commits, pauses, end-to-end latency, batch size and
 * tokens, padding waste, queue delay, inference time, expert load, in-flight. Thread-safe.
 */
public final class WorkerMetrics implements WorkerListener {
  private final MeterRegistry registry;
  private final Counter polled;
  private final Map<ResponseStatus, Counter> responses = new ConcurrentHashMap<>();
  private final Map<DeadLetterReason, Counter> deadLetters = new ConcurrentHashMap<>();
  private final Map<Integer, Counter> expertLoad = new ConcurrentHashMap<>();
  private final Timer commits;
  private final Counter pauses;
  private final Counter aborts;
  private final DistributionSummary endToEnd;
  private final DistributionSummary batchSize;
  private final DistributionSummary batchTokens;
  private final DistributionSummary paddingWaste;
  private final Timer queueDelay;
  private final Timer inference;
  private final DistributionSummary bisected;
  private final Timer memoryLookups;

  public WorkerMetrics(MeterRegistry registry) {
    this.registry = registry;
    polled =
        Counter.builder("expertflow.worker.requests.in")
            .description("Request records polled")
            .register(registry);
    commits =
        Timer.builder("expertflow.worker.commits")
            .description("Transactions (or offset commits) of finished work")
            .register(registry);
    pauses =
        Counter.builder("expertflow.worker.backpressure.pauses")
            .description("Times the worker paused its partitions because of in-flight work")
            .register(registry);
    aborts =
        Counter.builder("expertflow.worker.commit.aborts")
            .description("Commits that failed and were re-read from the committed offsets")
            .register(registry);
    endToEnd =
        DistributionSummary.builder("expertflow.worker.latency.end_to_end")
            .baseUnit("milliseconds")
            .description("From submitted_at to the response")
            .publishPercentiles(0.5, 0.9, 0.99)
            .publishPercentileHistogram()
            .register(registry);
    batchSize =
        DistributionSummary.builder("expertflow.worker.batch.size")
            .baseUnit("chunks")
            .publishPercentileHistogram()
            .serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
            .register(registry);
    batchTokens =
        DistributionSummary.builder("expertflow.worker.batch.tokens")
            .baseUnit("tokens")
            .description("Tokens a batch computes, padding included")
            .register(registry);
    paddingWaste =
        DistributionSummary.builder("expertflow.worker.batch.padding_waste")
            .description("Share of a batch's computed tokens that are padding (0-1)")
            .register(registry);
    queueDelay =
        Timer.builder("expertflow.worker.batch.queue_delay")
            .description("How long the oldest chunk of a batch waited")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    inference =
        Timer.builder("expertflow.worker.inference")
            .description("Engine time per batch")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    memoryLookups =
        Timer.builder("expertflow.worker.memory.lookup")
            .description("Nearest-neighbour lookups of the document memory, one per answer")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    bisected =
        DistributionSummary.builder("expertflow.worker.batch.bisected")
            .baseUnit("chunks")
            .description(
                "Batches the engine failed on, split to isolate the failing chunks; the amount is"
                    + " the chunks of each that still got their result")
            .register(registry);
  }

  /** Registers a gauge of documents in flight. */
  public void inFlightGauge(Supplier<Number> inFlight) {
    Gauge.builder("expertflow.worker.in_flight", inFlight)
        .description("Documents polled and not yet committed")
        .register(registry);
  }

  /** Registers a gauge that is 1 while the worker follows the model version topics, else 0. */
  public void followingGauge(java.util.function.BooleanSupplier following) {
    Gauge.builder(
            "expertflow.worker.model_versions.following", () -> following.getAsBoolean() ? 1 : 0)
        .description(
            "1 while the worker follows the model version topics; 0 when its follower died"
                + " (the worker then reports not ready)")
        .register(registry);
  }

  /** Registers the document memory's gauges: records applied and skipped, and readiness. */
  public void memoryGauges(
      Supplier<Number> applied, Supplier<Number> skipped, Supplier<Number> ready) {
    Gauge.builder("expertflow.worker.memory.records.applied", applied)
        .description("Records of the memory topic applied to this worker's document memory")
        .strongReference(true)
        .register(registry);
    Gauge.builder("expertflow.worker.memory.records.skipped", skipped)
        .description(
            "Records of the memory topic skipped (undecodable, no embedding, another dimension,"
                + " past retention); each is logged with its reason")
        .strongReference(true)
        .register(registry);
    Gauge.builder("expertflow.worker.memory.ready", ready)
        .description(
            "1 once the document memory has caught up with its topic and while its feed runs;"
                + " the worker is not ready otherwise")
        .strongReference(true)
        .register(registry);
  }

  /** One nearest-neighbour lookup of the document memory took {@code nanos}. */
  public void memoryLookup(long nanos) {
    memoryLookups.record(nanos, TimeUnit.NANOSECONDS);
  }

  public MeterRegistry registry() {
    return registry;
  }

  @Override
  public void polled(int records) {
    polled.increment(records);
  }

  @Override
  public void answered(ResponseStatus status, long endToEndMs) {
    responses
        .computeIfAbsent(
            status,
            s ->
                Counter.builder("expertflow.worker.responses.out")
                    .tag("status", s.name())
                    .register(registry))
        .increment();
    endToEnd.record(endToEndMs);
  }

  @Override
  public void deadLettered(DeadLetterReason reason) {
    deadLetters
        .computeIfAbsent(
            reason,
            r ->
                Counter.builder("expertflow.worker.dead_letters")
                    .tag("reason", r.name())
                    .register(registry))
        .increment();
  }

  @Override
  public void committed(int records, long commitNanos) {
    commits.record(commitNanos, TimeUnit.NANOSECONDS);
  }

  @Override
  public void paused(int inFlight) {
    pauses.increment();
  }

  @Override
  public void aborted(Throwable cause) {
    aborts.increment();
  }

  /** A batch ran on the engine. */
  public void batch(int size, long paddedTokens, long realTokens, Duration oldestWait, long nanos) {
    batchSize.record(size);
    batchTokens.record(paddedTokens);
    if (paddedTokens > 0) {
      paddingWaste.record(1.0 - (double) realTokens / paddedTokens);
    }
    queueDelay.record(oldestWait);
    inference.record(nanos, TimeUnit.NANOSECONDS);
  }

  /**
   * A batch failed on the engine and was split until its failing chunks stood alone; {@code
   * succeeded} of its chunks still got their result.
   */
  public void bisected(int succeeded) {
    bisected.record(succeeded);
  }

  /** A document was routed to {@code expert}. */
  public void expertChosen(int expert) {
    expertLoad
        .computeIfAbsent(
            expert,
            e ->
                Counter.builder("expertflow.worker.expert.load")
                    .tag("expert", Integer.toString(e))
                    .description("Documents routed to each base expert")
                    .register(registry))
        .increment();
  }
}
