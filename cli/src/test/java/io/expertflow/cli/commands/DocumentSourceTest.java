package io.expertflow.cli.commands;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.InferenceRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentSourceTest {
  @TempDir Path dir;
  private final List<String> warnings = new ArrayList<>();
  private final DocumentSource source =
      new DocumentSource(
          new DocumentSource.RequestDefaults("acme", 0, "classify", null), warnings::add);

  private List<InferenceRequest> read(Path path) throws Exception {
    List<InferenceRequest> out = new ArrayList<>();
    source.fromPath(path, out::add);
    return out;
  }

  @Test
  void shouldReadCsvRecordsWithQuotedLineBreaksAsTrainDataDoes() throws Exception {
    Path csv =
        Files.writeString(
            dir.resolve("docs.csv"),
            "id,text,channel\r\nd-1,\"Hello, world\",mail\r\n,\"two\nlines\",web\r\n");

    List<InferenceRequest> requests = read(csv);

    assertThat(requests).hasSize(2);
    assertThat(requests.get(0).getDocumentId()).isEqualTo("d-1");
    assertThat(requests.get(0).getText()).isEqualTo("Hello, world");
    assertThat(requests.get(1).getDocumentId()).isEqualTo(csv + ":3");
    assertThat(requests.get(1).getText()).isEqualTo("two\nlines");
    assertThat(requests.get(1).getTenant()).isEqualTo("acme");
  }

  @Test
  void shouldSendHtmlAndMailAsTheirReadableTextAsTrainingReadsThemAndSkipFilesThatAreNotText()
      throws Exception {
    Path folder = Files.createDirectories(dir.resolve("inbox"));
    Files.writeString(
        folder.resolve("page.html"),
        "<html><head><title>Rates</title><style>p {color: red}</style></head>"
            + "<body><p>Rates rise <b>again</b></p><script>track()</script></body></html>");
    Files.writeString(
        folder.resolve("note.eml"),
        "From: a@example.org\r\nSubject: Lunch\r\nContent-Type: text/plain\r\n\r\n"
            + "See you at noon.\r\n");
    Files.write(folder.resolve("scan.pdf"), "%PDF-1.7\n1 0 obj\n".getBytes(UTF_8));
    Files.write(folder.resolve("photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, 1});
    Files.write(folder.resolve("data.bin"), new byte[] {'a', 'b', 0, 'c'});
    Files.writeString(folder.resolve("plain.txt"), "\uFEFFplain words");

    List<InferenceRequest> requests = read(folder);

    assertThat(requests)
        .extracting(r -> r.getDocumentId().toString())
        .containsExactly("note.eml", "page.html", "plain.txt");
    assertThat(requests.get(0).getText().toString()).contains("See you at noon.");
    assertThat(requests.get(0).getText().toString()).doesNotContain("a@example.org");
    assertThat(requests.get(1).getText().toString())
        .containsPattern("Rates rise\\s+again")
        .doesNotContain("<")
        .doesNotContain("track()")
        .doesNotContain("color");
    assertThat(requests.get(2).getText().toString()).isEqualTo("plain words");
    assertThat(warnings)
        .singleElement()
        .asString()
        .contains("skipped 3 file(s) under " + folder + " that are not text")
        .contains("scan.pdf (a PDF)", "photo.jpg (an image)", "data.bin (binary data)");
    assertThatThrownBy(() -> read(folder.resolve("scan.pdf")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("scan.pdf is not text (a PDF)");
  }

  @Test
  void shouldReadTsv() throws Exception {
    Path tsv = Files.writeString(dir.resolve("docs.tsv"), "text\nfirst\nsecond\n");

    assertThat(read(tsv))
        .extracting(r -> r.getText().toString())
        .containsExactly("first", "second");
  }

  @Test
  void shouldRefuseACsvWithoutATextColumnNamingTheFile() throws Exception {
    Path csv = Files.writeString(dir.resolve("bad.csv"), "body\nhello\n");

    assertThatThrownBy(() -> read(csv))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad.csv:1")
        .hasMessageContaining("no column 'text'");
  }

  @Test
  void shouldSendAnEmptyCsvTextAsAnEmptyFileIsSoThatIntakeDeadLettersItNamed() throws Exception {
    Path csv = Files.writeString(dir.resolve("empty.csv"), "text\nfine\n\"  \"\nlast\n");
    Path file = Files.writeString(dir.resolve("empty.txt"), "");

    List<InferenceRequest> fromCsv = read(csv);

    assertThat(fromCsv)
        .extracting(r -> r.getText().toString())
        .containsExactly("fine", "  ", "last");
    assertThat(fromCsv.get(1).getDocumentId()).hasToString(csv + ":3");
    assertThat(read(file)).extracting(r -> r.getText().toString()).containsExactly("");
  }

  @Test
  void shouldNameAJsonLineWithoutDocumentIdByFileAndLine() throws Exception {
    Path jsonl =
        Files.writeString(
            dir.resolve("docs.jsonl"),
            "{\"text\":\"a\"}\n\n{\"text\":\"b\",\"document_id\":\"given\"}\n");

    List<InferenceRequest> requests = read(jsonl);

    assertThat(requests)
        .extracting(r -> r.getDocumentId().toString())
        .containsExactly(jsonl + ":1", "given");
  }

  @Test
  void shouldRefuseAJsonFieldOfATypeItWouldMisreadNamingLineAndField() throws Exception {
    String[][] cases = {
      {"[1, 2]", "line 1 is not JSON: a JSON array where JSON Lines hold one object per line"},
      {"\"just a text\"", "line 1 is not a JSON object (a string)"},
      {
        "{\"text\": \"x\", \"tenant\": \"a\", \"tenant\": \"b\"}",
        "line 1 is not JSON: a field is given twice in one object (column"
      },
      {"{\"text\": {\"body\": \"x\"}}", "line 1: \"text\" must be a string, not an object"},
      {
        "{\"text\": \"x\", \"priority\": \"high\"}",
        "\"priority\" must be a whole number, not a string"
      },
      {
        "{\"text\": \"x\", \"priority\": 2.5}", "\"priority\" must be a whole number, not a decimal"
      },
      {
        "{\"text\": \"x\", \"deadline\": \"tomorrow\"}",
        "\"deadline\" must be a whole number (epoch"
      },
      {"{\"text\": \"x\", \"tenant\": [\"a\"]}", "\"tenant\" must be a string, not an array"},
      {"{\"text\": \"x\", \"attributes\": \"a=b\"}", "\"attributes\" must be an object"},
      {
        "{\"text\": \"x\", \"attributes\": {\"k\": {\"n\": 1}}}",
        "attribute: \"k\" must be a string"
      }
    };
    for (String[] c : cases) {
      Path jsonl = Files.writeString(dir.resolve("bad.jsonl"), c[0] + "\n");
      assertThatThrownBy(() -> read(jsonl))
          .as(c[0])
          .hasMessageContaining(jsonl + " line 1")
          .hasMessageContaining(c[1]);
    }
    Path fine =
        Files.writeString(
            dir.resolve("fine.jsonl"),
            "{\"text\": \"x\", \"document_id\": 17, \"priority\": 3, \"deadline\": null,"
                + " \"attributes\": {\"n\": 1, \"ok\": true}, \"label\": \"ham\"}\n");
    InferenceRequest request = read(fine).get(0);
    assertThat(request.getDocumentId().toString()).isEqualTo("17");
    assertThat(request.getPriority()).isEqualTo(3);
    assertThat(request.getAttributes()).containsEntry("n", "1").containsEntry("ok", "true");
  }

  @Test
  void shouldReadAJsonFileAsJsonLinesAsTrainDataDoes() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("in"));
    Files.writeString(folder.resolve("a.json"), "{\"text\":\"one\"}\n{\"text\":\"two\"}\n");
    Files.writeString(folder.resolve("B.JSONL"), "{\"text\":\"three\"}\n");
    Files.writeString(folder.resolve("c.txt"), "four");

    List<InferenceRequest> requests = read(folder);

    assertThat(requests)
        .extracting(r -> r.getText().toString())
        .containsExactly("three", "one", "two", "four");
  }

  @Test
  void shouldSkipHiddenFilesAndWhatHiddenFoldersHold() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("repo/docs"));
    Files.writeString(folder.resolve("a.txt"), "one");
    Files.writeString(folder.resolve(".notes.txt"), "hidden file");
    Files.createDirectories(dir.resolve("repo/.git/refs"));
    Files.writeString(dir.resolve("repo/.git/HEAD"), "ref: refs/heads/main");
    Files.writeString(dir.resolve("repo/.git/refs/main"), "0123abcd");

    List<InferenceRequest> requests = read(dir.resolve("repo"));

    assertThat(requests)
        .extracting(r -> r.getDocumentId().toString())
        .containsExactly("docs/a.txt");
    assertThat(warnings).isEmpty();
    assertThat(read(dir.resolve("repo/.git"))).hasSize(2); // named itself, a hidden folder is read
    Path onlyHidden = Files.createDirectories(dir.resolve("drop"));
    Files.writeString(onlyHidden.resolve(".DS_Store"), "x");
    assertThat(read(onlyHidden)).isEmpty();
    assertThat(warnings)
        .containsExactly(
            "no files under " + onlyHidden + " (hidden files and folders are skipped)");
  }
}
