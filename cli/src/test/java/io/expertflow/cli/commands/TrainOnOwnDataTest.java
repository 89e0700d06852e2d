package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code expertflow train --data} on real text written three ways (JSON Lines, CSV, a folder per
 * label), with the default encoder (e5-small-v2, static scales): the project's own documentation,
 * one label per page. Then {@code analyze} on the most recently trained bundle, and the checks that
 * stop bad data.
 */
class TrainOnOwnDataTest {
  private static final int PER_LABEL = 12;
  private static final String[] SMALL_HEAD = {
    "--experts",
    "8",
    "--top-k",
    "2",
    "--expert-hidden",
    "8",
    "--domains",
    "2",
    "--epochs",
    "15",
    "--max-chunks",
    "2",
    "--min-per-label",
    "5"
  };

  @TempDir static Path dir;
  private static final Map<String, List<String>> paragraphs = new LinkedHashMap<>();

  @BeforeAll
  static void realText() {
    paragraphs.putAll(DocsText.paragraphs(PER_LABEL));
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new io.expertflow.cli.Expertflow());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }

  private static Result train(Path data, Path out, String... more) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "train",
                "--data",
                data.toString(),
                "--out",
                out.toString(),
                "--cache",
                dir.resolve("cache").toString()));
    args.addAll(List.of(SMALL_HEAD));
    args.addAll(List.of(more));
    return run(args.toArray(String[]::new));
  }

  private static Path jsonl(String name, List<String> lines) throws IOException {
    return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
  }

  private static List<String> jsonLines() {
    return DocsText.jsonLines(paragraphs);
  }

  @Test
  void shouldTrainOnJsonLinesCsvAndAFolderTreeAndAnalyzeWithTheLatestBundle() throws IOException {
    Path fromJsonl = jsonl("docs.jsonl", jsonLines());
    StringBuilder csv = new StringBuilder("page,body\n");
    paragraphs.forEach(
        (label, texts) ->
            texts.forEach(
                t ->
                    csv.append(label)
                        .append(",\"")
                        .append(t.replace("\"", "\"\""))
                        .append("\"\n")));
    Path fromCsv = Files.writeString(dir.resolve("docs.csv"), csv);
    Path tree = dir.resolve("tree");
    paragraphs.forEach(
        (label, texts) -> {
          for (int i = 0; i < texts.size(); i++) {
            try {
              Path f = tree.resolve(label).resolve("part-" + i + (i % 2 == 0 ? ".md" : ".txt"));
              Files.createDirectories(f.getParent());
              Files.writeString(f, texts.get(i));
            } catch (IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          }
        });

    Result a = train(fromJsonl, dir.resolve("m-jsonl"));
    Result b =
        train(
            fromCsv,
            dir.resolve("m-csv"),
            "--text-column",
            "body",
            "--label-column",
            "page",
            "--guard-per-label",
            "1");
    Result c = train(tree, dir.resolve("m-tree"));

    for (Result r : List.of(a, b, c)) {
      assertThat(r.code).as(r.err).isZero();
      assertThat(r.out).contains("held-out: accuracy", "macro-F1").doesNotContain("genre");
    }
    for (String m : List.of("m-jsonl", "m-csv", "m-tree")) {
      ModelBundle bundle = ModelBundle.load(dir.resolve(m).resolve("model"));
      assertThat(bundle.labels()).containsExactly("feedback", "model", "streams");
      // without --encoder, the default: e5-small-v2 with static scales
      assertThat(bundle.manifest().encoderId()).startsWith("e5-small-v2-int8-static@");
      // without --model-version the version is derived from the bundle's files, and said
      assertThat(bundle.manifest().version())
          .matches("b-[0-9a-f]{12}")
          .isEqualTo(ModelBundleWriter.contentVersion(bundle.manifest().files()));
      assertThat(Map.of("m-jsonl", a, "m-csv", b, "m-tree", c).get(m).out)
          .contains(
              "version "
                  + bundle.manifest().version()
                  + " (every response names it), encoder "
                  + bundle.manifest().encoderId());
      JsonNode metrics =
          new ObjectMapper().readTree(dir.resolve(m).resolve("metrics.json").toFile());
      assertThat(metrics.at("/test/per_label").size()).isEqualTo(3);
      assertThat(metrics.at("/test/macro_f1").isNumber()).isTrue();
      // the guard set: every test document (two a label here), or one a label when asked
      assertThat(metrics.at("/counts/guard_set_samples").asInt())
          .isEqualTo(m.equals("m-csv") ? 3 : metrics.at("/counts/documents_by_split/TEST").asInt());
      // the TF-IDF model is served beside the head exactly when its weight is above 0
      boolean served = metrics.at("/head_with_tfidf/weight").asDouble() > 0;
      assertThat(metrics.at("/head_with_tfidf/served").asBoolean()).isEqualTo(served);
      assertThat(bundle.readLexical().isPresent()).isEqualTo(served);
      bundle
          .readLexical()
          .ifPresent(
              w ->
                  assertThat(w.labels()).containsExactlyInAnyOrder("feedback", "model", "streams"));
      String html = Files.readString(dir.resolve(m).resolve("report.html"));
      assertThat(html)
          .contains("Per label", "logistic regression", "Confusion matrix", "Expert load", "<svg")
          .contains("feedback", "streams")
          .doesNotContain(paragraphs.get("model").get(0).substring(0, 60))
          .doesNotContain("<script", "http://", "https://");
    }
    // the second and third runs found every text in the embedding cache
    assertThat(c.out).contains("chunks embedded now 0");
    // the last one trained is the default bundle of analyze, worker and updater
    StringWriter said = new StringWriter();
    Path latest = LatestBundle.resolve(null, dir.resolve("cache"), new PrintWriter(said, true));
    assertThat(latest).isEqualTo(dir.resolve("m-tree").resolve("model").toAbsolutePath());
    assertThat(said.toString()).contains("most recently trained bundle");
    Path note = Files.writeString(dir.resolve("note.txt"), paragraphs.get("model").get(0));
    // the folder train --out wrote will do as --bundle: the bundle is its model/
    Result analyzed = run("analyze", "--bundle", dir.resolve("m-tree").toString(), note.toString());
    assertThat(analyzed.code).as(analyzed.err).isZero();
    assertThat(analyzed.out).containsPattern("labels: +(model|feedback|streams) ");
  }

  @Test
  void shouldPrintTheLabelTableOnADryRunAndWriteNothing() throws IOException {
    Path data = jsonl("dry.jsonl", jsonLines());

    Result r =
        run(
            "train",
            "--data",
            data.toString(),
            "--out",
            dir.resolve("dry").toString(),
            "--dry-run");

    assertThat(r.code).as(r.err).isZero();
    assertThat(r.out).contains("label", "documents", "feedback", "model", "streams");
    assertThat(dir.resolve("dry")).doesNotExist();
  }

  @Test
  void shouldStopOnBadDataNamingFileAndLineAndLeaveNoBundle() throws IOException {
    List<String> lines = new ArrayList<>(jsonLines());
    lines.set(3, "{\"text\": \"   \", \"label\": \"model\"}");
    lines.set(5, "{\"body\": \"no text field\", \"label\": \"model\"}");
    lines.add(
        "{\"text\": \"a label nobody else has, with one document only\", \"label\": \"rare\"}");
    Path data = jsonl("bad.jsonl", lines);
    Path out = dir.resolve("bad");

    Result r = train(data, out);

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err)
        .contains(data + ":4: empty text")
        .contains(data + ":6: text or label field missing")
        .contains("rare (1)")
        .contains("--min-per-label");
    assertThat(out).doesNotExist();
    try (var siblings = Files.list(dir)) {
      assertThat(siblings.map(p -> p.getFileName().toString()))
          .noneMatch(n -> n.contains("partial"));
    }
  }

  @Test
  void shouldRefuseAnOutputFolderThatIsNotEmpty() throws IOException {
    Path out = Files.createDirectories(dir.resolve("taken"));
    Files.writeString(out.resolve("keep.txt"), "mine");

    Result r = train(jsonl("any.jsonl", jsonLines()), out);

    assertThat(r.code).isEqualTo(2);
    assertThat(r.err).contains("taken", "not empty");
    assertThat(out.resolve("keep.txt")).hasContent("mine");
  }

  @Test
  void shouldTrainWithAnEncoderFromTheUsersOwnFolderAndRecordItsPooling() throws IOException {
    Path encoder = Files.createDirectories(dir.resolve("my-encoder"));
    Files.write(
        encoder.resolve("model.onnx"), io.expertflow.model.onnx.TinyEncoderBuilder.build(32, 7));
    io.expertflow.model.bundle.EncoderResources.extractTokenizer(
        io.expertflow.model.bundle.EncoderVariant.MINILM_L6_V2_INT8, encoder);
    Files.createDirectories(encoder.resolve("1_Pooling"));
    Files.writeString(
        encoder.resolve("1_Pooling/config.json"),
        "{\"pooling_mode_cls_token\": true, \"pooling_mode_mean_tokens\": false}");

    Result r =
        train(
            jsonl("enc.jsonl", jsonLines()),
            dir.resolve("m-own-encoder"),
            "--encoder",
            encoder.toString());

    assertThat(r.code).as(r.err).isZero();
    JsonNode manifest =
        new ObjectMapper().readTree(dir.resolve("m-own-encoder/model/manifest.json").toFile());
    assertThat(manifest.at("/encoder/variant").asText()).startsWith("folder:my-encoder@");
    assertThat(manifest.at("/encoder/pooling").asText()).isEqualTo("cls");
    assertThat(manifest.at("/head/hidden").asInt()).isEqualTo(32);
  }

  @Test
  void shouldTrainWithABpeTokenizerAndRefuseAFolderWithoutItsFiles() throws IOException {
    Path empty = Files.createDirectories(dir.resolve("no-model"));
    Path bpe = Files.createDirectories(dir.resolve("bpe-encoder"));
    Files.write(bpe.resolve("model.onnx"), io.expertflow.model.onnx.TinyEncoderBuilder.build(8, 1));
    try (var in = getClass().getResourceAsStream("/bpe-tokenizer.json")) {
      Files.copy(in, bpe.resolve("tokenizer.json"));
    }
    Path broken = Files.createDirectories(dir.resolve("broken-encoder"));
    Files.write(
        broken.resolve("model.onnx"), io.expertflow.model.onnx.TinyEncoderBuilder.build(8, 1));
    Files.writeString(broken.resolve("tokenizer.json"), "{\"model\": {\"type\": \"BPE\"}}");
    Path data = jsonl("enc-bpe.jsonl", jsonLines());

    Result missing = train(data, dir.resolve("m-missing"), "--encoder", empty.toString());
    Result viaBpe = train(data, dir.resolve("m-bpe"), "--encoder", bpe.toString());
    Result unreadable = train(data, dir.resolve("m-broken"), "--encoder", broken.toString());

    assertThat(missing.code).isEqualTo(2);
    assertThat(missing.err).contains("no-model", "model.onnx");
    assertThat(dir.resolve("m-missing")).doesNotExist();
    assertThat(viaBpe.code).as(viaBpe.err).isZero();
    assertThat(dir.resolve("m-bpe/model/tokenizer.json")).isRegularFile();
    assertThat(unreadable.code).isEqualTo(2);
    assertThat(unreadable.err).contains("tokenizer.json", "Hugging Face tokenizers");
    assertThat(dir.resolve("m-broken")).doesNotExist();
  }

  @Test
  void shouldKeepAGivenLabelOrderAndRefuseDataLabelsOutsideIt() throws IOException {
    Path data = jsonl("ordered.jsonl", jsonLines());

    Result ordered =
        train(data, dir.resolve("m-ordered"), "--labels", "streams,model,feedback,unused");
    Result outside = train(data, dir.resolve("m-outside"), "--labels", "streams,model");

    assertThat(ordered.code).as(ordered.err).isZero();
    assertThat(ModelBundle.load(dir.resolve("m-ordered").resolve("model")).labels())
        .containsExactly("streams", "model", "feedback", "unused");
    assertThat(outside.code).isEqualTo(2);
    assertThat(outside.err).contains("[feedback]", "--labels");
    assertThat(dir.resolve("m-outside")).doesNotExist();
  }

  @Test
  void shouldRefuseALabelOrderWithAPaddedOrRepeatedNameBeforeReadingTheData() throws IOException {
    Path data = jsonl("order-typos.jsonl", jsonLines());

    Result padded = train(data, dir.resolve("m-padded"), "--labels", "streams, model,feedback");
    Result twice = train(data, dir.resolve("m-twice"), "--labels", "streams,model,feedback,model");

    assertThat(padded.code).isEqualTo(2);
    assertThat(padded.err).contains("--labels", "' model'", "white space");
    assertThat(twice.code).isEqualTo(2);
    assertThat(twice.err).contains("--labels", "'model' is named twice");
    assertThat(dir.resolve("m-padded")).doesNotExist();
    assertThat(dir.resolve("m-twice")).doesNotExist();
  }
}
