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

  /** CPU seconds of the accounted processes. */
  double accounted() {
    return cpu.values().stream().mapToDouble(Double::doubleValue).sum();
  }
}
