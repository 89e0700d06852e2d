package io.expertflow.cli.chaos;

import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.RegistryGate;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Applies a {@link FaultSchedule} on its own thread, one fault at a time: a fault starts at its
 * planned time or, if the one before it still runs (a registry outage lasts {@link
 * #REGISTRY_OUTAGE}), as soon as that one is over. Each applied fault is recorded with the second,
 * counted from the start of the load, at which it began.
 *
 * <p>Threading: {@link #run} on the fault thread; {@link #applied} read after it ended.
 */
public final class FaultInjector implements Runnable {
  /** How long a killed worker or streams app stays down before it is started again. */
  public static final Duration RESTART_PAUSE = Duration.ofSeconds(5);

  /** How long a killed Kafka node stays down before it is started again. */
  public static final Duration BROKER_DOWN = Duration.ofSeconds(10);

  /** How long the schema registry is unreachable. */
  public static final Duration REGISTRY_OUTAGE = Duration.ofSeconds(30);

  /** How long a rebalance storm lasts, and how often a worker joins or leaves in it. */
  public static final Duration STORM = Duration.ofSeconds(20);

  public static final Duration STORM_STEP = Duration.ofSeconds(4);

  /** A fault as applied: what, on which target, from which second of the load. */
  public record Applied(FaultKind kind, String target, int second, Duration took) {}

  private final FaultSchedule schedule;
  private final PipelineProcesses processes;
  private final List<String> workers;
  private final Optional<LocalKafkaCluster> cluster;
  private final RegistryGate gate;
  private final ModelUpdateFault update;
  private final Optional<UpdaterKillFault> updaterKill;
  private final long startNanos;
  private final PrintWriter out;
  private final List<Applied> applied = Collections.synchronizedList(new ArrayList<>());
  private volatile boolean stopped;
  private OpenLoopLoad burstLoad;
  private Duration burstLength = Duration.ZERO;
  private String burstLabel = "";
  private Map<String, List<BrokerLink>> links = Map.of();
  private Duration cutLength = Duration.ZERO;

  public FaultInjector(
      FaultSchedule schedule,
      PipelineProcesses processes,
      List<String> workers,
      Optional<LocalKafkaCluster> cluster,
      RegistryGate gate,
      ModelUpdateFault update,
      Optional<UpdaterKillFault> updaterKill,
      long startNanos,
      PrintWriter out) {
    this.schedule = schedule;
    this.processes = processes;
    this.workers = workers;
    this.cluster = cluster;
    this.gate = gate;
    this.update = update;
    this.updaterKill = updaterKill;
    this.startNanos = startNanos;
    this.out = out;
  }

  /**
   * Lets {@code burst} faults drive {@code load}: each makes it send at {@code factor} times its
   * rate for {@code length}. Call before {@link #run}.
   */
  public FaultInjector bursts(OpenLoopLoad load, Duration length, double factor) {
    this.burstLoad = load;
    this.burstLength = length;
    this.burstLabel =
        String.format(java.util.Locale.ROOT, "x%.0f, %d s", factor, length.toSeconds());
    return this;
  }

  /**
   * Lets {@code network-cut} faults cut a worker (taking turns) off every Kafka node for {@code
   * length}: {@code links} are each worker's links, one per node. Call before {@link #run}.
   */
  public FaultInjector cuts(Map<String, List<BrokerLink>> links, Duration length) {
    this.links = Map.copyOf(links);
    this.cutLength = length;
    return this;
  }

  @Override
  public void run() {
    // each kind takes its own turns over its targets (worker 1, 2, ...; node 1, 2, 3, ...)
    Map<FaultKind, Integer> turns = new EnumMap<>(FaultKind.class);
    for (FaultSchedule.Planned planned : schedule.faults()) {
      long wait = planned.at().toNanos() - (System.nanoTime() - startNanos);
      if (wait > 0 && !pause(Duration.ofNanos(wait))) {
        return;
      }
      if (stopped) {
        return;
      }
      int second = (int) ((System.nanoTime() - startNanos) / 1_000_000_000L);
      long began = System.nanoTime();
      String target;
      try {
        target = apply(planned.kind(), turns.merge(planned.kind(), 1, Integer::sum) - 1);
      } catch (RuntimeException | InterruptedException e) {
        // a fault that could not be applied is reported, and the run goes on
        target = "FAILED: " + e.getMessage();
        if (e instanceof InterruptedException) {
          Thread.currentThread().interrupt();
          return;
        }
      }
      Duration took = Duration.ofNanos(System.nanoTime() - began);
      applied.add(new Applied(planned.kind(), target, second, took));
      synchronized (out) {
        out.printf(
            "  %4d s  %-16s %-12s (%.1f s)%n",
            second, planned.kind().label(), target, took.toMillis() / 1000.0);
        out.flush();
      }
    }
  }

  /** Applies the {@code n}th fault of {@code kind} (from 0); returns its target. */
  private String apply(FaultKind kind, int n) throws InterruptedException {
    switch (kind) {
      case WORKER_KILL -> {
        String w = workers.get(n % workers.size());
        processes.kill(w);
        pause(RESTART_PAUSE);
        processes.startWorker(w);
        return w;
      }
      case STREAMS_KILL -> {
        processes.kill("streams");
        pause(RESTART_PAUSE);
        processes.startStreams();
        return "streams";
      }
      case REBALANCE_STORM -> {
        storm();
        return "2 extra workers";
      }
      case BROKER_KILL -> {
        LocalKafkaCluster c =
            cluster.orElseThrow(
                () -> new IllegalStateException("broker-kill needs a cluster (--brokers 3)"));
        int node = c.nodeIds().get(n % c.size());
        c.kill(node);
        pause(BROKER_DOWN);
        c.start(node);
        return "node " + node;
      }
      case REGISTRY_DOWN -> {
        gate.shut();
        pause(REGISTRY_OUTAGE);
        try {
          gate.open();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot open the registry gate again: " + e, e);
        }
        return "registry";
      }
      case MODEL_UPDATE -> {
        return update.apply(n);
      }
      case UPDATER_KILL -> {
        return updaterKill
            .orElseThrow(() -> new IllegalStateException("no updater in this run"))
            .apply(n);
      }
      case BURST -> {
        if (burstLoad == null || !burstLoad.burst(burstLength)) {
          return "load over";
        }
        pause(burstLength);
        return burstLabel;
      }
      case NETWORK_CUT -> {
        List<String> cuttable = workers.stream().filter(links::containsKey).toList();
        if (cuttable.isEmpty()) {
          throw new IllegalStateException("network-cut needs workers behind links");
        }
        String w = cuttable.get(n % cuttable.size());
        links.get(w).forEach(BrokerLink::cut);
        pause(cutLength);
        links.get(w).forEach(BrokerLink::heal);
        return w;
      }
    }
    throw new IllegalStateException("unknown fault " + kind);
  }

  /**
   * Extra workers join and leave: every {@link #STORM_STEP} one of two extra workers is SIGKILLed
   * and the other started again (same ids, so a new one fences its predecessor). At the end the
   * last one killed is started again, fencing its open transaction (a worker killed for good would
   * hold the partitions it wrote to for a {@code read_committed} reader until its transaction times
   * out), and both stop in order.
   */
  private void storm() {
    List<String> extra = List.of("storm-1", "storm-2");
    processes.startWorker(extra.get(0));
    long end = System.nanoTime() + STORM.toNanos();
    int step = 0;
    String killed = null;
    while (System.nanoTime() < end && !stopped) {
      pause(STORM_STEP);
      killed = extra.get(step % 2);
      processes.kill(killed);
      processes.startWorker(extra.get((step + 1) % 2));
      step++;
    }
    if (killed != null) {
      processes.startWorker(killed);
      pause(STORM_STEP);
    }
    extra.forEach(processes::stop);
  }

  private boolean pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Asks the injector to apply no further fault. */
  public void stop() {
    stopped = true;
  }

  public List<Applied> applied() {
    synchronized (applied) {
      return List.copyOf(applied);
    }
  }
}
