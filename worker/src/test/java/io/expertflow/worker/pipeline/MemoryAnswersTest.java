package io.expertflow.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.SimilarDocument;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.memory.feed.MemorySettings;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryAnswersTest {
  private static final List<String> LABELS = List.of("billing", "outage", "other");
  private static final float[] HEAD = {0.7f, 0.2f, 0.1f};
  private static final String MINILM = "minilm-l6-v2-int8-static@0123456789abcdef";

  @TempDir Path dir;

  private static float[] unit(float... v) {
    double n = 0;
    for (float x : v) {
      n += x * x;
    }
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = (float) (v[i] / Math.sqrt(n));
    }
    return out;
  }

  private MemorySettings settings() {
    return MemorySettings.disabled().enabledIn(dir);
  }

  private DocumentMemory memoryWith(MemoryEntry... entries) throws IOException {
    DocumentMemory memory = DocumentMemory.open(dir, settings().index(3));
    for (MemoryEntry e : entries) {
      memory.upsert(e);
    }
    memory.refresh();
    return memory;
  }

  @Test
  void shouldAnswerWithTheCorrectedLabelOfANearDuplicateAndSaySo() throws IOException {
    float[] doc = unit(1, 0.02f, 0);
    try (DocumentMemory memory =
        memoryWith(
            new MemoryEntry(
                "earlier", "acme", Instant.EPOCH, "billing", "outage", unit(1, 0, 0)))) {
      AtomicLong lookups = new AtomicLong();
      MemoryAnswers answers = new MemoryAnswers(memory, settings(), n -> lookups.incrementAndGet());

      MemoryAnswers.Fused fused = answers.fuse("now", "acme", MINILM, doc, LABELS, HEAD);

      assertThat(fused.probabilities()[1]).isGreaterThan(fused.probabilities()[0]);
      assertThat(fused.evidence().getNearDuplicate()).isTrue();
      assertThat(fused.evidence().getVoters()).isEqualTo(1);
      assertThat(fused.evidence().getWeight()).isEqualTo(0.5f);
      assertThat(fused.evidence().getHeadLabel()).isEqualTo("billing");
      assertThat(fused.evidence().getNeighbours())
          .extracting(SimilarDocument::getRequestId, SimilarDocument::getLabel)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("earlier", "outage"));
      assertThat(lookups).hasValue(1);
    }
  }

  @Test
  void shouldKeepTheHeadsAnswerWithoutVotersAndNeverCountTheDocumentAsItsOwnNeighbour()
      throws IOException {
    float[] doc = unit(1, 0, 0);
    try (DocumentMemory memory =
        memoryWith(
            // a redelivered request finds its own first answer: not a neighbour
            MemoryEntry.answered("same", "acme", Instant.EPOCH, "billing", doc),
            // another tenant's corrected twin: invisible
            new MemoryEntry("theirs", "globex", Instant.EPOCH, "billing", "outage", doc),
            // a neighbour without correction: listed, does not vote
            MemoryEntry.answered("plain", "acme", Instant.EPOCH, "other", unit(1, 1, 0)))) {
      MemoryAnswers answers = new MemoryAnswers(memory, settings(), n -> {});

      MemoryAnswers.Fused fused = answers.fuse("same", "acme", MINILM, doc, LABELS, HEAD);

      assertThat(fused.probabilities()).containsExactly(HEAD);
      assertThat(fused.evidence().getVoters()).isZero();
      assertThat(fused.evidence().getWeight()).isZero();
      assertThat(fused.evidence().getHeadLabel()).isNull();
      assertThat(fused.evidence().getNeighbours())
          .extracting(SimilarDocument::getRequestId)
          .containsExactly("plain");
    }
  }

  @Test
  void shouldNeverLetADocumentOfAnotherEncoderVote() throws IOException {
    float[] doc = unit(1, 0, 0);
    try (DocumentMemory memory =
        memoryWith(
            // corrected and identical in its numbers, but made by another encoder of the same
            // width: its cosine to this document means nothing
            new MemoryEntry(
                "bge-twin", "acme", Instant.EPOCH, "billing", "outage", doc, "bge@fedcba98"),
            new MemoryEntry(
                "mine", "acme", Instant.EPOCH, "billing", null, unit(1, 1, 0), MINILM))) {
      MemoryAnswers answers = new MemoryAnswers(memory, settings(), n -> {});

      MemoryAnswers.Fused fused = answers.fuse("now", "acme", MINILM, doc, LABELS, HEAD);
      MemoryAnswers.Fused asBge = answers.fuse("now", "acme", "bge@fedcba98", doc, LABELS, HEAD);

      assertThat(fused.probabilities()).containsExactly(HEAD);
      assertThat(fused.evidence().getNeighbours())
          .extracting(SimilarDocument::getRequestId)
          .containsExactly("mine");
      assertThat(asBge.evidence().getVoters()).as("the same entry, asked by its encoder").isOne();
    }
  }

  @Test
  void shouldAnswerFromTheHeadAloneWhenTheLookupFails() throws IOException {
    DocumentMemory memory = memoryWith();
    memory.close();
    MemoryAnswers answers = new MemoryAnswers(memory, settings(), n -> {});

    MemoryAnswers.Fused fused = answers.fuse("r", "acme", MINILM, unit(1, 0, 0), LABELS, HEAD);

    assertThat(fused.probabilities()).containsExactly(HEAD);
    assertThat(fused.evidence()).isNull();
  }
}
