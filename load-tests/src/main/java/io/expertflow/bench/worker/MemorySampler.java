package io.expertflow.bench.worker;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark JVM's memory while the worker runs in it: the largest heap in use (sampled every 50
 * ms) and the process's peak resident set ({@code VmHWM}: heap, ONNX Runtime's native memory, the
 * sessions of the ceiling too). Thread-safe.
 */
final class MemorySampler {
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final Thread thread;
  private volatile boolean running = true;
  private volatile long heapUsedMax;

  private MemorySampler() {
    thread = new Thread(this::sample, "bench-memory");
    thread.setDaemon(true);
  }

  static MemorySampler start() {
    MemorySampler s = new MemorySampler();
    s.thread.start();
    return s;
  }

  private void sample() {
    while (running) {
      heapUsedMax = Math.max(heapUsedMax, memory.getHeapMemoryUsage().getUsed());
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  void stop() {
    running = false;
    thread.interrupt();
  }

  long heapUsedMaxBytes() {
    return heapUsedMax;
  }

  long heapMaxBytes() {
    return memory.getHeapMemoryUsage().getMax();
  }

  /** The process's peak resident set in bytes, or -1 where /proc does not say. */
  static long residentPeakBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: unknown
    }
    return -1;
  }
}
