package io.expertflow.bench.worker;

import java.util.Map;
import java.util.function.Supplier;

/**
 * A phase's result with what it cost: wall time, CPU seconds per component, and the whole machine's
 * busy CPU seconds over the same time (other processes included).
 */
record Measured<T>(T value, double wallSeconds, Map<String, Double> cpu, double machineBusy) {

  static <T> Measured<T> of(ThreadCpu cpu, Supplier<T> phase) {
    Map<String, Double> before = cpu.snapshot();
    double[] machineBefore = ThreadCpu.machine();
    long start = System.nanoTime();
    T value = phase.get();
    double wall = (System.nanoTime() - start) / 1e9;
    double[] machineAfter = ThreadCpu.machine();
    return new Measured<>(
        value, wall, ThreadCpu.between(before, cpu.snapshot()), machineAfter[0] - machineBefore[0]);
  }

  /** The phases' wall time, CPU and machine time added up (their values dropped). */
  static Measured<Void> sum(java.util.List<? extends Measured<?>> phases) {
    Map<String, Double> cpu = new java.util.LinkedHashMap<>();
    double wall = 0;
    double machine = 0;
    for (Measured<?> m : phases) {
      wall += m.wallSeconds();
      machine += m.machineBusy();
      m.cpu().forEach((k, v) -> cpu.merge(k, v, Double::sum));
    }
    return new Measured<>(null, wall, cpu, machine);
  }

  /** CPU seconds of the accounted processes. */
  double accounted() {
    return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
