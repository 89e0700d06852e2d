package io.expertflow.updater;

import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.update.UpdateResult;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The updater's Micrometer meters (names under {@code expertflow.updater.*}): windows updated from,
 * versions by state (published or rejected), experts chosen and parameters changed, and the last
 * update's figures (held-out feedback and guard accuracy before and after, and what a private
 * update spent), and how long an update took from the window's closing to its records being on
 * Kafka. A {@link UpdateListener}; called on the service's loop, read by scrapes from any thread.
 */
public final class UpdaterMetrics implements UpdateListener {
  private final MeterRegistry registry;
  private final Counter windows;
  private final Counter chosenExperts;
  private final Counter parametersChanged;
  private final Timer updates;
  private final AtomicLong lastUpdate = new AtomicLong();
  private final Figure holdoutBefore = new Figure();
  private final Figure holdoutAfter = new Figure();
  private final Figure guardBefore = new Figure();
  private final Figure guardAfter = new Figure();
  private final Figure changedShare = new Figure();
  private final Figure epsilon = new Figure();
  private final Figure maxUserEpsilon = new Figure();

  public UpdaterMetrics(MeterRegistry registry) {
    this.registry = registry;
    windows =
        Counter.builder("expertflow.updater.windows")
            .description("Closed feedback windows an update was run for")
            .register(registry);
    chosenExperts =
        Counter.builder("expertflow.updater.experts.chosen")
            .description("Experts the selection policy chose, over all updates")
            .register(registry);
    parametersChanged =
        Counter.builder("expertflow.updater.parameters.changed")
            .description("Scalar expert parameters changed by published versions")
            .register(registry);
    updates =
        Timer.builder("expertflow.updater.update.duration")
            .description("From a window's closing to its version records being on Kafka")
            .publishPercentiles(0.5, 0.99)
            .register(registry);
    for (String state : new String[] {"published", "rejected"}) {
      versions(state);
    }
    gauge("expertflow.updater.last.update", "Epoch seconds of the last update", lastUpdate::get);
    gauge(
        "expertflow.updater.last.holdout.accuracy.before",
        "Held-out feedback accuracy of the parent, last update",
        holdoutBefore::get);
    gauge(
        "expertflow.updater.last.holdout.accuracy.after",
        "Held-out feedback accuracy of the candidate, last update",
        holdoutAfter::get);
    gauge(
        "expertflow.updater.last.guard.accuracy.before",
        "Guard-set accuracy of the parent, last update",
        guardBefore::get);
    gauge(
        "expertflow.updater.last.guard.accuracy.after",
        "Guard-set accuracy of the candidate, last update",
        guardAfter::get);
    gauge(
        "expertflow.updater.last.changed.share",
        "Share of expert parameters the last candidate changed",
        changedShare::get);
    gauge(
        "expertflow.updater.last.epsilon",
        "Epsilon the last update spent (private updates; NaN otherwise)",
        epsilon::get);
    gauge(
        "expertflow.updater.last.max.user.epsilon",
        "Highest total epsilon of a feedback user after the last update (private updates)",
        maxUserEpsilon::get);
  }

  @Override
  public void updated(UpdateResult result, ModelVersion record, Duration took) {
    windows.increment();
    versions(record.getState().name().toLowerCase(Locale.ROOT)).increment();
    chosenExperts.increment(result.plan().chosenExperts().size());
    if (result.publish()) {
      parametersChanged.increment(result.diff().parametersChanged());
    }
    updates.record(took);
    lastUpdate.set(record.getCreatedAt().getEpochSecond());
    holdoutBefore.set(result.before().holdoutAccuracy());
    holdoutAfter.set(result.after().holdoutAccuracy());
    guardBefore.set(result.before().guardAccuracy());
    guardAfter.set(result.after().guardAccuracy());
    changedShare.set(result.changedShare());
    epsilon.set(result.privacy() == null ? Double.NaN : result.privacy().epsilon());
    maxUserEpsilon.set(result.privacy() == null ? Double.NaN : result.privacy().maxUserEpsilon());
  }

  private Counter versions(String state) {
    return Counter.builder("expertflow.updater.versions")
        .description("Versions the updater wrote, by state")
        .tag("state", state)
        .register(registry);
  }

  private void gauge(String name, String description, java.util.function.Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /** A double written by the loop and read by scrapes. */
  private static final class Figure {
    private volatile double value = Double.NaN;

    double get() {
      return value;
    }

    void set(double v) {
      value = v;
    }
  }
}
