package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogExcerptTest {

  @TempDir Path dir;

  @Test
  void shouldQuoteTheErrorsOfTheLatestRunEvenWhenShutdownLinesFollowThem() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(LogExcerpt.RUN_MARKER + "first run");
    lines.add("10:00:00.000 ERROR [main] Old failure from an earlier run");
    lines.add(LogExcerpt.RUN_MARKER + "second run");
    lines.add("10:00:01.000 ERROR [main] kafka.Kafka - Port in use");
    for (int i = 0; i < 50; i++) {
      lines.add("10:00:02.000 INFO  [shutdown] shutting down part " + i);
    }
    Path log = dir.resolve("broker.log");
    Files.write(log, lines);

    String excerpt = LogExcerpt.of(log, 5);

    assertThat(excerpt)
        .contains(
            "---- errors in the log ----\n10:00:01.000 ERROR [main] kafka.Kafka - Port in use")
        .contains("shutting down part 49")
        .doesNotContain("shutting down part 44")
        .doesNotContain("Old failure");
  }

  @Test
  void shouldSayWhenTheLogCannotBeRead() {
    assertThat(LogExcerpt.of(dir.resolve("missing.log"), 5)).contains("could not read");
  }
}
