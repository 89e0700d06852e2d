package io.expertflow.cli.commands;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleWriter;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.text.ChunkingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

  @Test
  void shouldAnswerWithTheBundlesTfIdfModelAndRefuseADamagedOne() throws Exception {
    ModelBundle base = ModelBundles.tiny(dir.resolve("base"), LABELS);
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[LexicalFeatures.bucket("invoice")] = 1;
    float[][] w = new float[LABELS.size()][LexicalFeatures.BUCKETS + 1];
    w[1][LexicalFeatures.bucket("invoice")] = 20;
    ModelBundleWriter.create("expertflow-tiny-test", "words")
        .encoderOf(base)
        .head(base.readHeadWeights())
        .lexical(LexicalModel.of(LABELS, 2, idf, w))
        .write(dir.resolve("words"));
    Path text = Files.writeString(dir.resolve("note.txt"), "the invoice was paid twice");

    Run run = run(dir.resolve("words"), text);
    assertThat(run.code).as(run.err).isZero();
    assertThat(run.err).contains("answers: the head with its TF-IDF model beside it (weight 2.00)");
    assertThat(run.out).containsPattern("labels: +b (1\\.000|0\\.99\\d),");
    // switched off, the head answers alone: its own label, not the words'
    Run alone = run(dir.resolve("words"), text, "--no-tfidf");
    assertThat(alone.code).as(alone.err).isZero();
    assertThat(alone.err).doesNotContain("TF-IDF");
    assertThat(alone.out).doesNotContainPattern("labels: +b (1\\.000|0\\.99\\d),");

    Files.write(dir.resolve("words").resolve(LexicalModel.FILE), new byte[] {0});
    Run damaged = run(dir.resolve("words"), text);
    assertThat(damaged.code).isEqualTo(2);
    assertThat(damaged.err).contains("analyze: ", "checksum mismatch for lexical.bin");
  }

  @Test
  void shouldNameAndSkipFilesItCannotAnalyseAndAnalyseTheRest() throws Exception {
    ModelBundles.tiny(dir.resolve("base"), LABELS);
    Path empty = Files.writeString(dir.resolve("empty.txt"), "");
    Path blank = Files.writeString(dir.resolve("blank.txt"), " \n\t\n");
    Path folder = Files.createDirectories(dir.resolve("notes"));
    Path missing = dir.resolve("missing.txt");
    Path note = Files.writeString(dir.resolve("note.txt"), "the invoice was paid twice");
    Path pdf =
        Files.write(dir.resolve("scan.pdf"), "%PDF-1.7\n%\u00e2\u00e3\n1 0 obj".getBytes(UTF_8));

    Run run = runFiles(dir.resolve("base"), List.of(empty, blank, folder, missing, pdf, note));

    assertThat(run.code).isEqualTo(1);
    assertThat(run.err)
        .contains(empty + ": skipped, Document text is empty")
        .contains(blank + ": skipped, Document text of 4 chars holds no token")
        .contains(folder + ": skipped, no files under it (hidden files and folders are skipped)")
        .contains(missing + ": skipped, no such file")
        .contains(pdf + ": skipped, not text (a PDF); extract its text into a .txt file first");
    assertThat(run.out.lines().filter(l -> !l.startsWith(" "))).containsExactly(note.toString());
    assertThat(run.out).contains("labels:");
  }

  @Test
  void shouldAnalyseEveryVisibleFileUnderAFolder() throws Exception {
    ModelBundles.tiny(dir.resolve("base"), LABELS);
    Path folder = Files.createDirectories(dir.resolve("tickets"));
    Path first = Files.writeString(folder.resolve("a.txt"), "the invoice was paid twice");
    Path page =
        Files.writeString(
            Files.createDirectories(folder.resolve("web")).resolve("b.html"),
            "<p>the parcel never came</p>");
    Files.writeString(
        Files.createDirectories(folder.resolve(".git")).resolve("HEAD"), "ref: refs/heads/main");

    Run run = runFiles(dir.resolve("base"), List.of(folder));

    assertThat(run.code).as(run.err).isZero();
    assertThat(run.out.lines().filter(l -> !l.startsWith(" ")))
        .containsExactly(first.toString(), page.toString());
  }

  @Test
  void shouldAnalyseEachDocumentOfAJsonLinesOrCsvFileUnderItsId() throws Exception {
    ModelBundles.tiny(dir.resolve("base"), LABELS);
    Path jsonl =
        Files.writeString(
            dir.resolve("tickets.jsonl"),
            "{\"document_id\":\"t-1\",\"text\":\"the invoice was paid twice\"}\n"
                + "{\"text\":\"the parcel never came\"}\n"
                + "{\"text\":\"\"}\n");
    Path csv = Files.writeString(dir.resolve("mail.csv"), "id,text\nm-9,\"lunch, at noon\"\n");

    Run run = runFiles(dir.resolve("base"), List.of(jsonl, csv));

    assertThat(run.code).as("the empty document is skipped").isEqualTo(1);
    assertThat(run.out.lines().filter(l -> !l.startsWith(" ")))
        .containsExactly("t-1", jsonl + ":2", "m-9");
    assertThat(run.err).contains(jsonl + ":3: skipped, Document text is empty");
  }

  private record Run(int code, String out, String err) {}

  private static Run runFiles(Path bundle, List<Path> files) {
    return run(bundle, List.of(), files);
  }

  private static Run run(Path bundle, Path file, String... flags) {
    return run(bundle, List.of(flags), List.of(file));
  }

  private static Run run(Path bundle, List<String> flags, List<Path> files) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AnalyzeCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args = new ArrayList<>(List.of("--bundle", bundle.toString(), "--engine", "cpu"));
    args.addAll(flags);
    files.forEach(f -> args.add(f.toString()));
    int code = cli.execute(args.toArray(String[]::new));
    return new Run(code, out.toString(), err.toString());
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
