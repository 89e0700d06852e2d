package io.expertflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.expertflow.bench.report.BenchResult;
import io.expertflow.bench.report.CostPerMillion;
import io.expertflow.bench.report.HtmlReport;
import io.expertflow.bench.report.Prices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** What {@code expertflow bench} writes: its figures as JSON, their HTML report, the commit. */
final class BenchFiles {
  private BenchFiles() {}

  /**
   * Writes a run's figures with their cost per million documents at {@code prices} to {@code json},
   * and its HTML report beside it; returns the report's path.
   */
  static Path writeResults(Path json, Map<String, Object> figures, Prices prices)
      throws IOException {
    Map<String, Object> costed = new LinkedHashMap<>(figures);
    costed.put(CostPerMillion.KEY, CostPerMillion.json(BenchResult.of(figures), prices));
    write(json, costed);
    return HtmlReport.writeBeside(json, BenchResult.of(costed), prices);
  }

  static void write(Path file, Map<String, Object> json) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.writeString(
        file,
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(json)
            + "\n",
        StandardCharsets.UTF_8);
  }

  /** The commit of the checkout the command runs from, when it is one. */
  static Optional<String> commit() {
    String home = System.getProperty("expertflow.home");
    if (home == null) {
      return Optional.empty();
    }
    try {
      Process p =
          new ProcessBuilder("git", "-C", home, "rev-parse", "HEAD")
              .redirectErrorStream(true)
              .start();
      String sha = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
          ? Optional.of(sha)
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }
}
