package io.expertflow.cli.chaos;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Samples the memory of the workers once a second: the JVM heap in use, as each worker's metrics
 * endpoint says ({@code jvm_memory_used_bytes{area="heap"}}, summed over the pools), and the
 * process's resident set (heap, metaspace, thread stacks, ONNX Runtime's native buffers: {@code
 * VmRSS} in {@code /proc/<pid>/status}). A worker's metrics port is read from its log (it starts on
 * a free port and logs it), again whenever its process changes. A value that cannot be read is left
 * out of that second's sample.
 *
 * <p>Threading: {@link #run} on its own thread until {@link #stop}; {@link #samples} from any.
 */
final class MemorySampler implements Runnable {

  /** One worker's memory at one second of the load; -1 where it could not be read. */
  record Sample(int second, String worker, long heapBytes, long rssBytes) {}

  /** Where a worker runs now: its process id and its log. */
  record Target(long pid, Path log) {}

  private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+)\\s+kB");
  private static final Pattern HEAP =
      Pattern.compile("(?m)^jvm_memory_used_bytes\\{([^}]*)\\}\\s+(\\S+)");
  private static final Pattern PORT =
      Pattern.compile("metrics and probes on http://localhost:(\\d+)/metrics");

  private final List<String> workers;
  private final Function<String, Target> targets;
  private final long startNanos;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private final Map<String, Long> pids = new HashMap<>();
  private final Map<String, Integer> ports = new HashMap<>();
  private final List<Sample> samples = new ArrayList<>();
  private volatile boolean stopped;

  /**
   * @param targets where each worker runs now, or null while it does not run
   * @param startNanos the start of the load ({@link System#nanoTime}); seconds count from it
   */
  MemorySampler(List<String> workers, Function<String, Target> targets, long startNanos) {
    this.workers = List.copyOf(workers);
    this.targets = targets;
    this.startNanos = startNanos;
  }

  @Override
  public void run() {
    long next = System.nanoTime();
    while (!stopped) {
      int second = (int) Math.floorDiv(System.nanoTime() - startNanos, 1_000_000_000L);
      for (String worker : workers) {
        Target target = targets.apply(worker);
        if (target != null) {
          Sample s = sample(second, worker, target);
          synchronized (samples) {
            samples.add(s);
          }
        }
      }
      next += 1_000_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(wait / 1_000_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private Sample sample(int second, String worker, Target target) {
    long rss = -1;
    try {
      rss =
          rssBytes(Files.readString(Path.of("/proc", Long.toString(target.pid()), "status")))
              .orElse(-1);
    } catch (IOException | RuntimeException e) {
      // no /proc here, or the process just ended
    }
    if (!Long.valueOf(target.pid()).equals(pids.put(worker, target.pid()))) {
      ports.remove(worker);
    }
    Integer port = ports.get(worker);
    if (port == null) {
      try {
        OptionalLong p = metricsPort(Files.readString(target.log(), StandardCharsets.UTF_8));
        if (p.isPresent()) {
          port = (int) p.getAsLong();
          ports.put(worker, port);
        }
      } catch (IOException | RuntimeException e) {
        // no log yet
      }
    }
    long heap = -1;
    if (port != null) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .timeout(Duration.ofSeconds(2))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        heap = r.statusCode() == 200 ? heapBytes(r.body()).orElse(-1) : -1;
      } catch (IOException e) {
        ports.remove(worker); // restarted on another port, or busy: look again next second
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return new Sample(second, worker, heap, rss);
  }

  /** {@code VmRSS} of a {@code /proc/<pid>/status} text, in bytes. */
  static OptionalLong rssBytes(String procStatus) {
    Matcher m = RSS.matcher(procStatus);
    return m.find() ? OptionalLong.of(Long.parseLong(m.group(1)) * 1024) : OptionalLong.empty();
  }

  /** The heap in use: {@code jvm_memory_used_bytes} of every pool with {@code area="heap"}. */
  static OptionalLong heapBytes(String prometheusText) {
    Matcher m = HEAP.matcher(prometheusText);
    double sum = 0;
    boolean any = false;
    while (m.find()) {
      if (m.group(1).contains("area=\"heap\"")) {
        sum += Double.parseDouble(m.group(2));
        any = true;
      }
    }
    return any ? OptionalLong.of((long) sum) : OptionalLong.empty();
  }

  /** The metrics port the worker logged last (a restarted worker logs a new one). */
  static OptionalLong metricsPort(String log) {
    Matcher m = PORT.matcher(log);
    OptionalLong port = OptionalLong.empty();
    while (m.find()) {
      port = OptionalLong.of(Long.parseLong(m.group(1)));
    }
    return port;
  }

  void stop() {
    stopped = true;
  }

  List<Sample> samples() {
    synchronized (samples) {
      return List.copyOf(samples);
    }
  }

  /** A second range of the load, from (inclusive) to (exclusive). */
  record Span(int from, int to) {
    boolean covers(int second) {
      return second >= from && second < to;
    }
  }

  /** The highest heap and resident set of one worker within some spans; -1 where none. */
  record Peak(long heapBytes, long rssBytes) {}

  /** The peaks of {@code worker} over the seconds any of {@code spans} covers. */
  static Peak peak(List<Sample> samples, String worker, List<Span> spans) {
    long heap = -1;
    long rss = -1;
    for (Sample s : samples) {
      if (s.worker().equals(worker) && spans.stream().anyMatch(sp -> sp.covers(s.second()))) {
        heap = Math.max(heap, s.heapBytes());
        rss = Math.max(rss, s.rssBytes());
      }
    }
    return new Peak(heap, rss);
  }

  /**
   * Prints, per worker, the heap and resident set before the first burst (its 10 s), at their peak
   * in the bursts (each from its start to 30 s after its end, while the backlog drains) and at the
   * end, and whether every resident set stayed under {@code rssBound}.
   *
   * @return whether every sampled resident set stayed under the bound
   */
  static boolean print(
      List<Sample> samples,
      List<String> workers,
      List<Span> bursts,
      long rssBound,
      PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "worker memory, MiB (heap in use / resident set), sampled every second; bound on the"
            + " resident set %d MiB%n",
        rssBound >> 20);
    out.printf(
        Locale.ROOT,
        "  %-8s %16s %16s %16s %16s%n",
        "worker",
        "before bursts",
        "peak in bursts",
        "peak in run",
        "at the end");
    int first = bursts.isEmpty() ? Integer.MAX_VALUE : bursts.get(0).from();
    List<Span> drains = bursts.stream().map(b -> new Span(b.from(), b.to() + 30)).toList();
    boolean held = true;
    for (String w : workers) {
      int last =
          samples.stream()
              .filter(s -> s.worker().equals(w))
              .mapToInt(Sample::second)
              .max()
              .orElse(0);
      Peak before = peak(samples, w, List.of(new Span(first - 10, first)));
      Peak inBursts = peak(samples, w, drains);
      Peak run = peak(samples, w, List.of(new Span(Integer.MIN_VALUE, Integer.MAX_VALUE)));
      Peak end = peak(samples, w, List.of(new Span(last, last + 1)));
      held &= run.rssBytes() <= rssBound;
      out.printf(
          Locale.ROOT,
          "  %-8s %16s %16s %16s %16s%n",
          w,
          mib(before),
          mib(inBursts),
          mib(run),
          mib(end));
    }
    out.printf("resident sets %s the bound%n", held ? "stayed under" : "went OVER");
    return held;
  }

  private static String mib(Peak p) {
    return (p.heapBytes() < 0 ? "-" : Long.toString(p.heapBytes() >> 20))
        + " / "
        + (p.rssBytes() < 0 ? "-" : Long.toString(p.rssBytes() >> 20));
  }
}
