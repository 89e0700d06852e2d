package io.expertflow.streams.jobs.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExportSpillTest {
  @TempDir Path dir;

  private static ExportRow request(long seq, String id) {
    return new ExportRow(
        seq,
        id,
        "docs.jsonl:" + (seq + 1),
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  private static ExportRow answer(String id) {
    return answer(id, List.of(new ExportRow.Label("news", 0.9f)));
  }

  private static ExportRow answer(String id, List<ExportRow.Label> labels) {
    return new ExportRow(
        null,
        id,
        null,
        "OK",
        labels,
        List.of(new ExportRow.Expert(3, 1f)),
        2,
        null,
        null,
        "v1",
        null,
        null,
        null);
  }

  private static ExportRow audit(String id) {
    return new ExportRow(
        null,
        id,
        null,
        null,
        null,
        null,
        null,
        "APPROVED",
        "rule-1",
        null,
        "ab".repeat(32),
        null,
        null);
  }

  private static ExportRow deadLetter(String id) {
    return new ExportRow(
        null,
        id,
        null,
        "DEAD_LETTERED",
        null,
        null,
        null,
        null,
        null,
        null,
        null,
        "POISON",
        "failed 3 times");
  }

  @Test
  void shouldWriteEveryDocumentOnceInSubmissionOrderAcrossManyRangesWhateverTheArrivalOrder()
      throws Exception {
    int documents = 1000;
    List<ExportRow> parts = new ArrayList<>();
    for (int i = 0; i < documents; i++) {
      String id = "job/" + i;
      parts.add(request(i, id));
      if (i % 10 == 3) {
        parts.add(deadLetter(id));
      } else if (i % 10 != 7) { // every tenth document is still pending
        parts.add(answer(id));
        parts.add(audit(id));
      }
    }
    parts.add(answer("job/0")); // a redelivered answer merges into the same row
    Collections.shuffle(parts, new Random(7));

    StringWriter out = new StringWriter();
    ExportSpill.Summary summary;
    try (ExportSpill spill = new ExportSpill(dir, 8, 37)) { // 28 ranges of 37 positions
      parts.forEach(spill::add);
      summary = spill.writeInOrder(ExportFormat.JSONL, out);
    }

    List<String> lines = out.toString().lines().toList();
    assertThat(lines).hasSize(documents);
    assertThat(summary).isEqualTo(new ExportSpill.Summary(documents, 800, 100, 100));
    ObjectMapper json = new ObjectMapper();
    for (int i = 0; i < documents; i++) {
      JsonNode row = json.readTree(lines.get(i));
      assertThat(row.path("seq").asLong()).isEqualTo(i);
      assertThat(row.path("requestId").asText()).isEqualTo("job/" + i);
      String expected = i % 10 == 3 ? "DEAD_LETTERED" : i % 10 == 7 ? "PENDING" : "OK";
      assertThat(row.path("status").asText()).isEqualTo(expected);
      if (expected.equals("OK")) {
        assertThat(row.path("decision").asText()).isEqualTo("APPROVED");
        assertThat(row.path("auditSha256").asText()).hasSize(64);
        assertThat(row.path("labels").get(0).path("label").asText()).isEqualTo("news");
      }
    }
    try (Stream<Path> left = Files.walk(dir)) {
      assertThat(left.filter(Files::isRegularFile)).as("spill files removed as read").isEmpty();
    }
  }

  @Test
  void shouldPutAnAnswerAboveADeadLetterAndRowsWithoutPositionLast() throws Exception {
    StringWriter out = new StringWriter();
    try (ExportSpill spill = new ExportSpill(dir, 4, 10)) {
      spill.add(answer("job/b")); // its request was not found: no position
      spill.add(request(0, "job/a"));
      spill.add(deadLetter("job/a"));
      spill.add(answer("job/a"));
      spill.writeInOrder(ExportFormat.CSV, out);
    }

    List<String> lines = out.toString().lines().toList();
    assertThat(lines.get(0)).startsWith("seq,request_id,source,status,labels,experts");
    assertThat(lines.get(1)).startsWith("0,job/a,docs.jsonl:1,OK,news:0.9000,3:1.0000,2,");
    assertThat(lines.get(2)).startsWith(",job/b,,OK,");
    assertThat(lines).hasSize(3);
  }

  @Test
  void shouldEscapeTheLabelSeparatorInsideALabelName() throws Exception {
    StringWriter out = new StringWriter();
    ExportRow row =
        answer(
            "job/a",
            List.of(
                new ExportRow.Label("a;b", 0.5f),
                new ExportRow.Label("c\\d", 0.25f),
                new ExportRow.Label("x:y", 0.25f)));

    ExportFormat.CSV.write(row, out);

    String labels = out.toString().split(",")[4];
    assertThat(labels).isEqualTo("a\\;b:0.5000;c\\\\d:0.2500;x:y:0.2500");
    // what a reader does: split on a ';' no backslash escapes, the score after the last ':'
    List<String> parts = List.of(labels.split("(?<!\\\\);"));
    assertThat(parts).hasSize(3);
    assertThat(parts.get(2).substring(0, parts.get(2).lastIndexOf(':'))).isEqualTo("x:y");
  }

  @Test
  void shouldQuoteCsvCellsThatNeedIt() {
    assertThat(ExportFormat.quote("plain")).isEqualTo("plain");
    assertThat(ExportFormat.quote("a,b")).isEqualTo("\"a,b\"");
    assertThat(ExportFormat.quote("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
  }
}
