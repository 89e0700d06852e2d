package io.expertflow.bench.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * CPU time per component, read from Linux's {@code /proc/PID/task/TID/stat} (user + system time of
 * every thread) of the processes the benchmark runs: itself, the broker and the registry. Threads
 * are grouped by name (numbers stripped), so the native threads of ONNX Runtime, which carry the
 * name of the thread that created them, show up under that name. Elsewhere than on Linux every
 * snapshot is empty.
 */
final class ThreadCpu {
  private static final double TICKS_PER_SECOND = 100.0; // USER_HZ on Linux
  private final Map<String, Long> processes;

  /**
   * @param processes label -> pid of each process to account
   */
  ThreadCpu(Map<String, Long> processes) {
    this.processes = new LinkedHashMap<>(processes);
  }

  /** CPU seconds per "process: thread group" since the process started. */
  Map<String, Double> snapshot() {
    Map<String, Double> out = new HashMap<>();
    processes.forEach(
        (label, pid) -> {
          Path tasks = Path.of("/proc", Long.toString(pid), "task");
          try (Stream<Path> threads = Files.list(tasks)) {
            threads.forEach(t -> add(out, label, t.resolve("stat")));
          } catch (IOException | RuntimeException e) {
            // the process ended or this is not Linux: nothing to account
          }
        });
    return out;
  }

  private static void add(Map<String, Double> out, String label, Path stat) {
    String s;
    try {
      s = Files.readString(stat);
    } catch (IOException e) {
      return; // the thread ended
    }
    String name = s.substring(s.indexOf('(') + 1, s.lastIndexOf(')')).replaceAll("[0-9]+", "#");
    String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
    double seconds = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    out.merge(label + ": " + name, seconds, Double::sum);
  }

  /**
   * CPU seconds spent between two snapshots, largest first; groups under 1 % of all summed last.
   */
  static Map<String, Double> between(Map<String, Double> before, Map<String, Double> after) {
    Map<String, Double> spent = new HashMap<>();
    // a group whose threads ended in between reads less than before: what they spent is gone
    // with them (/proc forgets a thread when it ends), so it counts as 0, not as negative time
    after.forEach((k, v) -> spent.put(k, Math.max(0.0, v - before.getOrDefault(k, 0.0))));
    double total = spent.values().stream().mapToDouble(Double::doubleValue).sum();
    Map<String, Double> out =
        spent.entrySet().stream()
            .filter(e -> e.getValue() >= total / 100)
            .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
            .collect(
                Collectors.toMap(
                    Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
    double shown = out.values().stream().mapToDouble(Double::doubleValue).sum();
    out.put("other threads (under 1 % each)", total - shown);
    return out;
  }

  /** The whole machine's busy and total CPU seconds, from {@code /proc/stat}. */
  static double[] machine() {
    try {
      String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      double total = 0;
      for (int i = 1; i <= 8 && i < f.length; i++) {
        total += Long.parseLong(f[i]);
      }
      double idle = Long.parseLong(f[4]) + Long.parseLong(f[5]);
      return new double[] {(total - idle) / TICKS_PER_SECOND, total / TICKS_PER_SECOND};
    } catch (IOException | RuntimeException e) {
      return new double[] {0, 0};
    }
  }
}
