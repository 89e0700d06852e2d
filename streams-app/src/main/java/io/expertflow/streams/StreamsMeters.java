package io.expertflow.streams;

import io.expertflow.avro.DeadLetterReason;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The streams app's own counters, on Micrometer's global registry (the app adds its Prometheus
 * registry to it while it runs, so processors need no registry passed down): dead letters by stage
 * and reason, compliance decisions, attributed feedback. They count records processed; under
 * exactly-once a transaction that aborts and is replayed counts its records again, so read them as
 * rates, and the topics as the exact record. Thread-safe.
 */
public final class StreamsMeters {
  private StreamsMeters() {}

  /** The gauge {@code expertflow.streams.topology.running}: 1 while {@code running} says so. */
  public static void topologyRunning(
      MeterRegistry registry, String topology, BooleanSupplier running) {
    Gauge.builder("expertflow.streams.topology.running", running, r -> r.getAsBoolean() ? 1 : 0)
        .description("1 while the topology's KafkaStreams is RUNNING")
        .tag("topology", topology)
        .strongReference(true) // the supplier is a lambda nobody else holds; a weak one reads NaN
        .register(registry);
  }

  /** A dead letter written by {@code stage} for {@code reason}. */
  public static void deadLetter(String stage, DeadLetterReason reason) {
    Metrics.counter(
            "expertflow.streams.dead.letters",
            "stage",
            stage,
            "reason",
            reason.name().toLowerCase(Locale.ROOT))
        .increment();
  }

  /** A response routed by the compliance rules to {@code decision}. */
  public static void decision(String decision) {
    Metrics.counter(
            "expertflow.streams.compliance.decisions",
            "decision",
            decision.toLowerCase(Locale.ROOT))
        .increment();
  }

  /**
   * One exchange of the HTTP API ({@code expertflow.streams.http.requests}): by context path and
   * status class ({@code 2xx}, {@code 4xx}, ...; {@code none} if no status was sent), with a
   * histogram, so p99 is a PromQL {@code histogram_quantile} away.
   */
  public static void httpExchange(String path, int code, long nanos) {
    String status = code < 0 ? "none" : (code / 100) + "xx";
    // built once per path and status class, not on every exchange
    HTTP_TIMERS
        .computeIfAbsent(
            path + ' ' + status,
            key ->
                Timer.builder("expertflow.streams.http.requests")
                    .description("HTTP API exchanges of the streams app, by path and status class")
                    .tag("path", path)
                    .tag("code", status)
                    .publishPercentileHistogram()
                    .register(Metrics.globalRegistry))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  private static final java.util.Map<String, Timer> HTTP_TIMERS =
      new java.util.concurrent.ConcurrentHashMap<>();

  /** A feedback event matched with its response and attributed to {@code experts} experts. */
  public static void feedbackAttributed(int experts) {
    Metrics.counter("expertflow.streams.feedback.attributed").increment();
    Metrics.counter("expertflow.streams.feedback.attributions").increment(experts);
  }
}
