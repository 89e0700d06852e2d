package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.FeedbackEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeedbackTableTest {
  private static final Instant NOW = Instant.parse("2026-11-28T12:00:00Z");
  @TempDir Path dir;

  @Test
  void shouldTakeAJobExportWithACorrectedLabelColumnFilledInWhereAReviewerHadSomethingToSay()
      throws Exception {
    // job export --format csv's columns, then two a reviewer added in a spreadsheet
    Path csv =
        Files.writeString(
            dir.resolve("answers.csv"),
            "seq,request_id,source,status,labels,experts,domain_expert,decision,rule,"
                + "model_version,audit_sha256,dead_letter_reason,dead_letter_detail,"
                + "corrected_label,rating\r\n"
                + "0,j-1/aa,a.txt,OK,\"news:0.91,editorial:0.05\",3;7,2,APPROVED,,1,ab,,,,\r\n"
                + "1,j-1/bb,b.txt,OK,\"news:0.80,lore:0.10\",3;9,2,APPROVED,,1,cd,,,lore,-1\r\n"
                + "2,j-1/cc,c.txt,OK,\"spam:0.70\",1;2,0,REVIEW,r1,1,ef,,,,+1\r\n");

    FeedbackTable.Read read = FeedbackTable.read(csv, NOW, "ann");

    assertThat(read.skipped()).isEqualTo(1);
    assertThat(read.events())
        .extracting(
            FeedbackEvent::getRequestId, FeedbackEvent::getCorrectedLabel, e -> e.getRating())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("j-1/bb", "lore", -1),
            org.assertj.core.groups.Tuple.tuple("j-1/cc", null, 1));
    assertThat(read.events()).allSatisfy(e -> assertThat(e.getEventTime()).isEqualTo(NOW));
    assertThat(read.events())
        .as("the export's source column names the file, not who gave the feedback")
        .extracting(FeedbackEvent::getSource)
        .containsOnly("ann");
  }

  @Test
  void shouldReadTsvWithTimesAndIds() throws Exception {
    Path tsv =
        Files.writeString(
            dir.resolve("fb.tsv"),
            "request_id\tcorrected_label\tevent_time\tfeedback_id\tfeedback_source\n"
                + "r-1\tspam\t2026-11-20T10:00:00Z\tf-1\tbob\n"
                + "r-2\tham\t1763632800000\t\t\n");

    FeedbackTable.Read read = FeedbackTable.read(tsv, NOW, null);

    assertThat(read.events()).hasSize(2);
    assertThat(read.events().get(0).getEventTime())
        .isEqualTo(Instant.parse("2026-11-20T10:00:00Z"));
    assertThat(read.events().get(0).getFeedbackId()).isEqualTo("f-1");
    assertThat(read.events().get(1).getEventTime()).isEqualTo(Instant.ofEpochMilli(1763632800000L));
    assertThat(read.events().get(1).getFeedbackId()).isNotBlank();
    assertThat(read.events()).extracting(FeedbackEvent::getSource).containsExactly("bob", null);
  }

  @Test
  void shouldNameTheFileAndLineOfARowThatCannotBeSentAndAMissingColumn() throws Exception {
    Path badRating =
        Files.writeString(dir.resolve("r.csv"), "request_id,rating\nr-1,1\n\"r-2\",good\n");
    Path badLabel =
        Files.writeString(dir.resolve("l.csv"), "request_id,corrected_label\nr-1,\"spam \"\n");
    Path noId = Files.writeString(dir.resolve("n.csv"), "id,rating\nr-1,1\n");

    assertThatThrownBy(() -> FeedbackTable.read(badRating, NOW, null))
        .hasMessageContaining(badRating + ":3: rating must be -1, 0 or 1");
    assertThatThrownBy(() -> FeedbackTable.read(badLabel, NOW, null))
        .hasMessageContaining(badLabel + ":2: ")
        .hasMessageContaining("white space");
    assertThatThrownBy(() -> FeedbackTable.read(noId, NOW, null))
        .hasMessageContaining(noId + ":1: no column 'request_id'");
  }
}
