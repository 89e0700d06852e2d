package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleWriter;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.text.ChunkingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class AnalyzeCommandTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  @TempDir Path dir;

  @Test
  void shouldCutDocumentsAsTheBundlesHeadWasTrained() throws Exception {
    ModelBundle base = ModelBundles.tiny(dir.resolve("base"), LABELS);
    ModelBundleWriter.create("expertflow-tiny-test", "test-2")
        .encoderOf(base)
        .head(base.readHeadWeights())
        .trainedMaxChunks(2)
        .write(dir.resolve("trained"));
    Path text = Files.writeString(dir.resolve("long.txt"), "word after word ".repeat(400));

    String untrained = analyze(dir.resolve("base"), text);
    String trained = analyze(dir.resolve("trained"), text);

    assertThat(AnalyzeCommand.chunking(base).maxChunksPerDocument())
        .isEqualTo(ChunkingConfig.DEFAULT_MAX_CHUNKS_PER_DOCUMENT);
    assertThat(untrained).doesNotContain("truncated");
    assertThat(trained).contains("2 chunk(s), truncated");
  }

  private static String analyze(Path bundle, Path file) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new AnalyzeCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    int code = cli.execute("--bundle", bundle.toString(), "--engine", "cpu", file.toString());
    assertThat(code).as("analyze exit code, output: %s", out).isZero();
    return out.toString();
  }
}
