package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class MemorySamplerTest {

  @Test
  void shouldReadTheResidentSetFromProcStatus() {
    String status =
        "Name:\tjava\nVmPeak:\t 5000000 kB\nVmSize:\t 4000000 kB\nVmHWM:\t  700000 kB\n"
            + "VmRSS:\t  512000 kB\nRssAnon:\t  400000 kB\n";

    assertThat(MemorySampler.rssBytes(status)).isEqualTo(OptionalLong.of(512_000L * 1024));
    assertThat(MemorySampler.rssBytes("Name:\tjava\n")).isEmpty();
  }

  @Test
  void shouldReadThisProcessesOwnResidentSetWhereProcExists() throws Exception {
    Path self = Path.of("/proc/self/status");
    if (Files.isReadable(self)) {
      assertThat(MemorySampler.rssBytes(Files.readString(self)).getAsLong())
          .isGreaterThan(10L << 20);
    }
  }

  @Test
  void shouldSumTheHeapPoolsOfThePrometheusText() {
    String metrics =
        "# HELP jvm_memory_used_bytes The amount of used memory\n"
            + "# TYPE jvm_memory_used_bytes gauge\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"eden space\"} 1.048576E7\n"
            + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.0E7\n"
            + "jvm_memory_used_bytes{area=\"heap\",id=\"tenured generation\"} 2.097152E7\n"
            + "jvm_memory_max_bytes{area=\"heap\",id=\"eden space\"} 1.0E8\n"
            + "expertflow_worker_in_flight 3.0\n";

    assertThat(MemorySampler.heapBytes(metrics)).isEqualTo(OptionalLong.of(31_457_280L));
    assertThat(MemorySampler.heapBytes("expertflow_worker_in_flight 3.0\n")).isEmpty();
  }

  @Test
  void shouldTakeTheMetricsPortTheWorkerLoggedLast() {
    String log =
        "21:00:01 INFO metrics and probes on http://localhost:41001/metrics\n"
            + "... killed, started again ...\n"
            + "21:00:09 INFO metrics and probes on http://localhost:41777/metrics\n";

    assertThat(MemorySampler.metricsPort(log)).isEqualTo(OptionalLong.of(41777));
    assertThat(MemorySampler.metricsPort("starting\n")).isEmpty();
  }

  @Test
  void shouldReportPeaksPerPhaseAndJudgeTheBound() {
    List<MemorySampler.Sample> samples =
        List.of(
            new MemorySampler.Sample(5, "w-1", 100L << 20, 400L << 20),
            new MemorySampler.Sample(12, "w-1", 300L << 20, 700L << 20),
            new MemorySampler.Sample(50, "w-1", 120L << 20, 650L << 20),
            new MemorySampler.Sample(5, "w-2", 90L << 20, 380L << 20));
    List<MemorySampler.Span> bursts = List.of(new MemorySampler.Span(10, 20));

    MemorySampler.Peak inBurst = MemorySampler.peak(samples, "w-1", bursts);
    StringWriter under = new StringWriter();
    StringWriter over = new StringWriter();
    boolean held =
        MemorySampler.print(
            samples, List.of("w-1", "w-2"), bursts, 800L << 20, new PrintWriter(under, true));
    boolean heldLow =
        MemorySampler.print(
            samples, List.of("w-1", "w-2"), bursts, 600L << 20, new PrintWriter(over, true));

    assertThat(inBurst).isEqualTo(new MemorySampler.Peak(300L << 20, 700L << 20));
    assertThat(held).isTrue();
    assertThat(heldLow).isFalse();
    assertThat(under.toString())
        .contains("w-1")
        .contains("100 / 400")
        .contains("300 / 700")
        .contains("120 / 650");
    assertThat(over.toString()).contains("went OVER");
  }
}
