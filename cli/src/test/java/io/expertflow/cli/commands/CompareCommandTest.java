package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CompareCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    CommandLine cli = new CommandLine(new CompareCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  /** A run folder whose metrics.json holds the head's and the regression's genre accuracy. */
  private Path run(String name, long seed, double head, double regression) throws IOException {
    Path folder = Files.createDirectories(dir.resolve(name));
    Files.writeString(
        folder.resolve("metrics.json"),
        "{\"test\": {\"genre_accuracy\": "
            + head
            + "}, \"baseline_linear_probe\": {\"genre_accuracy\": "
            + regression
            + "}, \"setup\": {\"embedding_key\": \"encoder=minilm@abc|tokens=128\","
            + " \"docs_per_label\": 150, \"optimizer\": {\"seed\": "
            + seed
            + "}}}");
    return folder;
  }

  @Test
  void shouldPrintEachRunAndTheirMeanAndSpread() throws IOException {
    Path a = run("a", 42, 0.50, 0.45);
    Path b = run("b", 1, 0.60, 0.45);

    int code = run(a.toString(), b.toString());

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("2 runs: a (seed 42), b (seed 1); encoder minilm, 150 documents per label")
        .containsPattern(
            "head: genre accuracy +0\\.500 +0\\.600 +0\\.550 +0\\.071 +0\\.500 \\.\\. 0\\.600")
        .containsPattern(
            "head - logistic regression: genre accuracy +\\+5\\.0 +\\+15\\.0 +\\+10\\.0")
        .doesNotContain("shift update");
  }

  @Test
  void shouldWriteMarkdownWhenAsked() throws IOException {
    Path a = run("a", 42, 0.50, 0.45);

    assertThat(run("--markdown", a.toString())).isZero();
    assertThat(out.toString()).contains("| head: genre accuracy | 0.500 | 0.500 | - | - |");
  }

  @Test
  void shouldRefuseAFolderTrainingDidNotWrite() throws IOException {
    Path a = run("a", 42, 0.50, 0.45);

    int code = run(a.toString(), dir.resolve("missing").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("compare: ").contains("missing: no metrics.json");
    assertThat(out.toString()).isEmpty();
  }
}
