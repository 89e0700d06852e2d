package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzing of the training-data readers, which read whatever a user points them at: valid JSON
 * Lines, CSV and TSV files cut, spliced and sprinkled with quotes, delimiters, braces, line breaks,
 * stray bytes and byte order marks. Each file must end as records and problems, every problem
 * naming the file (and its line where it has one) with a detail a person can act on; nothing may be
 * thrown.
 */
class UserDataFuzzTest {
  private static final int FILES_PER_FORMAT = 150;
  private static final String[] SPICE = {
    "\"",
    "\"\"",
    ",",
    "\t",
    "\n",
    "\r\n",
    "{",
    "}",
    "[",
    "]",
    ":",
    "\\",
    "\u0000",
    "\uFEFF",
    "text",
    "label",
    "id",
    "null",
    "\"text\":",
    "é",
    "☕",
    "\uD83D\uDE00",
    " ",
    ";",
    "[".repeat(2_000),
    "1".repeat(2_000)
  };

  @TempDir Path dir;

  @Test
  void shouldTurnAnyJsonLinesFileIntoRecordsAndProblemsWithPlaces() throws Exception {
    fuzz("jsonl", this::jsonLines);
  }

  @Test
  void shouldTurnAnyCsvFileIntoRecordsAndProblemsWithPlaces() throws Exception {
    fuzz("csv", random -> delimited(random, ','));
  }

  @Test
  void shouldTurnAnyTsvFileIntoRecordsAndProblemsWithPlaces() throws Exception {
    fuzz("tsv", random -> delimited(random, '\t'));
  }

  private interface Content {
    String of(Random random);
  }

  private void fuzz(String extension, Content content) throws Exception {
    Random random = new Random(20261206L + extension.hashCode());
    for (int i = 0; i < FILES_PER_FORMAT; i++) {
      Path file = dir.resolve("f" + i + "." + extension);
      byte[] bytes = mutate(random, content.of(random)).getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(10) == 0) {
        bytes = strayBytes(random, bytes);
      }
      Files.write(file, bytes);
      Collected seen = new Collected();

      switch (DataFormat.of(file)) {
        case JSONL -> JsonLinesData.read(file, DataFields.defaults(), seen);
        case CSV -> DelimitedData.read(file, ',', DataFields.defaults(), seen);
        default -> DelimitedData.read(file, '\t', DataFields.defaults(), seen);
      }

      for (DataProblem p : seen.problems) {
        assertThat(p.where()).as("file %d: %s", i, p).startsWith(file.toString());
        assertThat(p.detail()).as("file %d: %s", i, p).isNotBlank().doesNotContain("Exception");
      }
      for (DataRecord r : seen.records) {
        assertThat(r.source()).isEqualTo(file.toString());
        assertThat(r.line()).as("file %d: %s", i, r.where()).isPositive();
        assertThat(r.text()).isNotNull();
        assertThat(r.label()).isNotNull();
        assertThat(r.id()).isNotNull();
      }
      // and the checks over them finish and describe what they found
      DataInspector inspector = new DataInspector(1, 1_000);
      seen.records.forEach(inspector::record);
      seen.problems.forEach(inspector::problem);
      assertThat(inspector.finish().describe()).isNotNull();
    }
  }

  private String jsonLines(Random random) {
    StringBuilder b = new StringBuilder();
    int lines = 1 + random.nextInt(6);
    for (int i = 0; i < lines; i++) {
      b.append("{\"text\": \"")
          .append(words(random))
          .append("\", \"label\": \"")
          .append(random.nextBoolean() ? "ham" : "spam")
          .append("\"")
          .append(random.nextBoolean() ? ", \"id\": " + random.nextInt(100) : "")
          .append("}\n");
    }
    return b.toString();
  }

  private String delimited(Random random, char delimiter) {
    StringBuilder b = new StringBuilder("id" + delimiter + "text" + delimiter + "label\n");
    int lines = 1 + random.nextInt(6);
    for (int i = 0; i < lines; i++) {
      b.append(i)
          .append(delimiter)
          .append(random.nextBoolean() ? "\"" + words(random) + ", more\"" : words(random))
          .append(delimiter)
          .append(random.nextBoolean() ? "ham" : "spam")
          .append('\n');
    }
    return b.toString();
  }

  private static String words(Random random) {
    String[] words = {"meeting", "invoice", "free", "prize", "report", "lunch", "offer", "today"};
    StringBuilder b = new StringBuilder();
    int n = 1 + random.nextInt(8);
    for (int i = 0; i < n; i++) {
      b.append(i == 0 ? "" : " ").append(words[random.nextInt(words.length)]);
    }
    return b.toString();
  }

  /** Cuts, duplicates, deletes and inserts pieces of {@code s}. */
  private static String mutate(Random random, String s) {
    StringBuilder b = new StringBuilder(s);
    int edits = random.nextInt(6);
    for (int e = 0; e < edits; e++) {
      int at = b.length() == 0 ? 0 : random.nextInt(b.length() + 1);
      switch (random.nextInt(4)) {
        case 0 -> b.insert(at, SPICE[random.nextInt(SPICE.length)]);
        case 1 -> b.delete(at, Math.min(b.length(), at + 1 + random.nextInt(8)));
        case 2 -> b.insert(at, b.substring(random.nextInt(Math.max(1, b.length()))));
        default -> b.setLength(at);
      }
    }
    return b.toString();
  }

  /** Replaces a few bytes with ones that are not UTF-8. */
  private static byte[] strayBytes(Random random, byte[] bytes) {
    if (bytes.length == 0) {
      return new byte[] {(byte) 0xC3};
    }
    byte[] out = bytes.clone();
    for (int i = 0; i < 1 + random.nextInt(3); i++) {
      out[random.nextInt(out.length)] = (byte) (0x80 + random.nextInt(0x80));
    }
    return out;
  }

  private static final class Collected implements DataVisitor {
    final List<DataRecord> records = new ArrayList<>();
    final List<DataProblem> problems = new ArrayList<>();

    @Override
    public void record(DataRecord record) {
      records.add(record);
    }

    @Override
    public void problem(DataProblem problem) {
      problems.add(problem);
    }
  }
}
