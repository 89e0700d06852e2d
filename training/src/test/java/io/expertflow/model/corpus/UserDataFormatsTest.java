package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.corpus.DataProblem.Kind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserDataFormatsTest {
  @TempDir Path dir;

  private Path file(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content);
  }

  /** The one problem {@code path} has, read with the default fields. */
  private DataProblem onlyProblem(Path path) {
    List<DataProblem> problems = read(path, DataFields.defaults()).problems();
    assertThat(problems).hasSize(1);
    return problems.get(0);
  }

  private DataInspection read(Path path, DataFields fields) {
    DataInspector inspector = new DataInspector(1, 1_000);
    DataFormat.of(path).read(path, fields, inspector);
    return inspector.finish();
  }

  @Test
  void shouldReadJsonLinesWithChosenFieldsAndOptionalIds() throws IOException {
    Path file =
        file(
            "tickets.jsonl",
            """
        {"body": "The printer on floor two jams.", "category": "hardware", "ticket": 17}

        {"body": "Reset my password, please.", "category": "access"}
        """);

    DataInspection found = read(file, new DataFields("body", "category", "ticket"));

    assertThat(found.problems()).isEmpty();
    assertThat(found.labels()).containsExactly("access", "hardware");
    assertThat(found.documents())
        .extracting(LabeledDocument::id)
        .containsExactly("17", file + ":3");
  }

  @Test
  void shouldReadQuotedMultiLineCsvAndTsv() throws IOException {
    Path csv =
        file(
            "mails.csv",
            "id,text,label\n"
                + "a,\"Dear team,\n\nthe \"\"quarterly\"\" report is late.\",finance\n"
                + "b,Lunch at noon?,social\n");
    Path tsv = file("mails.tsv", "label\ttext\nsocial\tCoffee later?\n");

    DataInspection fromCsv = read(csv, DataFields.defaults());
    DataInspection fromTsv = read(tsv, DataFields.defaults());

    assertThat(fromCsv.problems()).isEmpty();
    assertThat(fromCsv.documents().get(0).text())
        .isEqualTo("Dear team,\n\nthe \"quarterly\" report is late.");
    assertThat(fromCsv.documents()).extracting(LabeledDocument::id).containsExactly("a", "b");
    assertThat(fromTsv.documents()).extracting(LabeledDocument::label).containsExactly("social");
  }

  @Test
  void shouldReadTheHeaderOfACsvThatStartsWithAByteOrderMark() throws IOException {
    Path csv = file("export.csv", "\uFEFFtext,label\nLunch at noon?,social\nReport due,finance\n");
    Path jsonl =
        file("export.jsonl", "\uFEFF{\"text\": \"Lunch at noon?\", \"label\": \"social\"}\n");

    DataInspection fromCsv = read(csv, DataFields.defaults());
    DataInspection fromJsonl = read(jsonl, DataFields.defaults());

    assertThat(fromCsv.problems()).isEmpty();
    assertThat(fromCsv.documents())
        .extracting(LabeledDocument::text)
        .containsExactly("Lunch at noon?", "Report due");
    assertThat(fromJsonl.problems()).isEmpty();
    assertThat(fromJsonl.documents()).extracting(LabeledDocument::label).containsExactly("social");
  }

  @Test
  void shouldTakeLabelsFromFolderNamesAndReduceHtmlAndMail() throws IOException {
    Files.createDirectories(dir.resolve("contracts/2024"));
    Files.createDirectories(dir.resolve("news"));
    Files.writeString(dir.resolve("contracts/2024/lease.txt"), "The tenant shall pay rent.");
    Files.writeString(
        dir.resolve("news/page.html"),
        "<html><head><title>x</title></head><body><p>Rates rise &amp; fall</p></body></html>");
    Files.writeString(
        dir.resolve("news/note.eml"),
        "From: a@example.org\nSubject: markets\nContent-Type: text/plain\n\nStocks closed higher.\n");
    Files.writeString(dir.resolve("README"), "not a document");
    Files.writeString(dir.resolve("news/image.png"), "not text");
    // hidden folders hold copies (a notebook's checkpoints) or tools' files, never a label
    Files.createDirectories(dir.resolve("news/.ipynb_checkpoints"));
    Files.writeString(dir.resolve("news/.ipynb_checkpoints/note-checkpoint.txt"), "an old copy");
    Files.createDirectories(dir.resolve(".github"));
    Files.writeString(dir.resolve(".github/guide.md"), "how to contribute");

    DataInspection found = read(dir, DataFields.defaults());

    assertThat(found.problems()).isEmpty();
    assertThat(found.skippedFiles()).isEqualTo(4);
    assertThat(found.countsByLabel()).containsEntry("contracts", 1).containsEntry("news", 2);
    assertThat(found.documents())
        .extracting(LabeledDocument::text)
        .anySatisfy(t -> assertThat(t).contains("Rates rise & fall").doesNotContain("<p>"))
        .anySatisfy(t -> assertThat(t).contains("Stocks closed higher.").doesNotContain("From:"));
    assertThat(found.documents())
        .extracting(LabeledDocument::id)
        .contains("contracts/2024/lease.txt");
  }

  @Test
  void shouldReadAFolderFileSavedAsUtf16WithItsByteOrderMarkAsSubmitDoes() throws IOException {
    // what Windows' editors call "Unicode"; submit and analyze read it so, and training must too
    Files.createDirectories(dir.resolve("billing"));
    Files.createDirectories(dir.resolve("outage"));
    Files.write(
        dir.resolve("billing/invoice.txt"),
        "Refund the double charge, caf\u00e9 \u20ac12".getBytes(StandardCharsets.UTF_16));
    // little-endian with its mark, as Notepad saves it (Java's UTF-16 writes big-endian)
    byte[] html = "<p>The EU region is down</p>".getBytes(StandardCharsets.UTF_16LE);
    byte[] withMark = new byte[html.length + 2];
    withMark[0] = (byte) 0xFF;
    withMark[1] = (byte) 0xFE;
    System.arraycopy(html, 0, withMark, 2, html.length);
    Files.write(dir.resolve("outage/status.html"), withMark);

    DataInspection found = read(dir, DataFields.defaults());

    assertThat(found.problems()).isEmpty();
    assertThat(found.documents().stream().map(d -> d.text().strip()))
        .containsExactlyInAnyOrder(
            "Refund the double charge, caf\u00e9 \u20ac12", "The EU region is down");
  }

  @Test
  void shouldNameTheLineOfTextThatIsNotUtf8() throws IOException {
    Path file = dir.resolve("latin1.jsonl");
    byte[] good = "{\"text\": \"fine\", \"label\": \"a\"}\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad =
        "{\"text\": \"caf\u00e9\", \"label\": \"a\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    byte[] both = new byte[good.length + bad.length];
    System.arraycopy(good, 0, both, 0, good.length);
    System.arraycopy(bad, 0, both, good.length, bad.length);
    Files.write(file, both);

    DataInspection found = read(file, DataFields.defaults());

    assertThat(found.hasFatalProblems()).isTrue();
    assertThat(found.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.NOT_UTF8);
              assertThat(p.where()).isEqualTo(file + ":2");
            });
  }

  @Test
  void shouldNameAMissingFieldOrColumnWithWhatIsThere() throws IOException {
    Path jsonl = file("a.jsonl", "{\"content\": \"x\", \"label\": \"a\"}\n");
    Path csv = file("b.csv", "content,label\nx,a\n");

    DataInspection fromJson = read(jsonl, DataFields.defaults());
    DataInspection fromCsv = read(csv, DataFields.defaults());

    assertThat(fromJson.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.MISSING_FIELD);
              assertThat(p.where()).isEqualTo(jsonl + ":1");
              assertThat(p.detail()).contains("'text'", "[content, label]", "--text-field");
            });
    assertThat(fromCsv.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.kind()).isEqualTo(Kind.MISSING_FIELD);
              assertThat(p.detail()).contains("'text'", "--text-column");
            });
  }

  @Test
  void shouldRefuseAJsonLineThatGivesALabelTwiceRatherThanTrainOnTheLastOne() throws IOException {
    Path twice =
        file(
            "twice.jsonl",
            "{\"text\": \"fine\", \"label\": \"a\"}\n"
                + "{\"text\": \"which?\", \"label\": \"a\", \"label\": \"b\"}\n");

    DataProblem twiceProblem = onlyProblem(twice);
    assertThat(twiceProblem.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(twiceProblem.where()).isEqualTo(twice + ":2");
    assertThat(twiceProblem.detail()).startsWith("not JSON: a field is given twice in one object");
  }

  @Test
  void shouldSayWhatIsWrongWithABadlyQuotedCsvOrItsHeaderInWordsAndWhere() throws IOException {
    Path unclosed = file("unclosed.csv", "text,label\nfine,a\n\"never closed,a\nmore,b\n");
    Path stray = file("stray.csv", "text,label\nfine,a\n\"say\" hi,a\n");
    Path twice = file("twice.csv", "text,label,text\nx,a,y\n");
    Path unnamed = file("unnamed.csv", "text,,label\nx,1,a\n");

    DataProblem unclosedProblem = onlyProblem(unclosed);
    assertThat(unclosedProblem.kind()).isEqualTo(Kind.MALFORMED);
    assertThat(unclosedProblem.where()).isEqualTo(unclosed + ":3");
    assertThat(unclosedProblem.detail())
        .startsWith("a quoted field that starts here is never closed");
    DataProblem strayProblem = onlyProblem(stray);
    assertThat(strayProblem.where()).isEqualTo(stray + ":3");
    assertThat(strayProblem.detail()).startsWith("characters follow a quoted field's closing \"");
    DataProblem twiceProblem = onlyProblem(twice);
    assertThat(twiceProblem.where()).isEqualTo(twice + ":1");
    assertThat(twiceProblem.detail())
        .isEqualTo(
            "the header line names a column twice (\"text\"); give each column its own name");
    DataProblem unnamedProblem = onlyProblem(unnamed);
    assertThat(unnamedProblem.where()).isEqualTo(unnamed + ":1");
    assertThat(unnamedProblem.detail()).contains("has no name");
  }

  @Test
  void shouldSayWhatAFieldHoldsInsteadOfTextAndWhichDelimiterAHeaderHolds() throws IOException {
    Path jsonl =
        file(
            "c.jsonl",
            "{\"text\": \"x\", \"label\": null}\n{\"text\": [\"x\"], \"label\": \"a\"}\n");
    Path csv = file("semicolons.csv", "text;label\nx;a\n");
    Path tsv = file("commas.tsv", "text,label\nx,a\n");

    DataInspection fromJson = read(jsonl, DataFields.defaults());
    DataInspection fromCsv = read(csv, DataFields.defaults());
    DataInspection fromTsv = read(tsv, DataFields.defaults());

    assertThat(fromJson.problems())
        .extracting(DataProblem::detail)
        .satisfiesExactly(
            d -> assertThat(d).startsWith("field 'label' is null, not a string"),
            d -> assertThat(d).startsWith("field 'text' is array, not a string"));
    assertThat(fromCsv.problems())
        .singleElement()
        .satisfies(
            p -> assertThat(p.detail()).contains("one column holding ';'", "comma-separated"));
    assertThat(fromTsv.problems())
        .singleElement()
        .satisfies(p -> assertThat(p.detail()).contains("one column holding ','", ".csv"));
  }

  @Test
  void shouldRefuseAPathWhoseFormatItCannotTell() throws IOException {
    Path file = Files.writeString(dir.resolve("data.xlsx"), "x");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataFormat.of(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(".jsonl")
        .hasMessageContaining(file.toString());
  }
}
