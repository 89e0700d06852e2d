package io.expertflow.memory.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.MemoryRecord;
import io.expertflow.avro.MemoryRecordKind;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.MemoryConfig;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.memory.Neighbour;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MemoryFeedApplierTest {
  private static final int DIM = 4;
  private static final Instant NOW = Instant.parse("2026-06-01T12:00:00Z");

  @TempDir Path dir;

  private static MemoryRecord answered(String id, String tenant, Instant at, float... v) {
    List<Float> values = new ArrayList<>();
    for (float x : v) {
      values.add(x);
    }
    return MemoryRecord.newBuilder()
        .setRequestId(id)
        .setKind(MemoryRecordKind.ANSWERED)
        .setTenant(tenant)
        .setTime(at)
        .setPredictedLabel("news")
        .setModelVersion("v1")
        .setEmbedding(values)
        .build();
  }

  private static MemoryRecord corrected(String id, String label) {
    return MemoryRecord.newBuilder()
        .setRequestId(id)
        .setKind(MemoryRecordKind.CORRECTED)
        .setTime(NOW)
        .setCorrectedLabel(label)
        .build();
  }

  private MemoryFeedApplier applier(DocumentMemory memory) {
    return new MemoryFeedApplier(
        memory, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC), 1000);
  }

  private DocumentMemory open() throws IOException {
    return DocumentMemory.open(dir, MemoryConfig.defaults(DIM));
  }

  @Test
  void shouldApplyACorrectionReadBeforeItsDocument() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier applier = applier(memory);

      applier.apply(MemoryRecords.correctionKey("r1"), corrected("r1", "sports"));
      applier.apply("r1", answered("r1", "t", NOW, 1, 0, 0, 0));
      memory.refresh();

      assertThat(memory.get("r1").map(MemoryEntry::correctedLabel)).contains("sports");
      assertThat(applier.applied()).isEqualTo(2);
    }
  }

  @Test
  void shouldKeepTheEncoderARecordNamesThroughItsCorrection() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier applier = applier(memory);

      applier.apply(
          "r1",
          MemoryRecord.newBuilder(answered("r1", "t", NOW, 1, 0, 0, 0))
              .setEncoderId("minilm@0123")
              .build());
      applier.apply("r2", answered("r2", "t", NOW, 0, 1, 0, 0));
      applier.apply(MemoryRecords.correctionKey("r1"), corrected("r1", "sports"));
      memory.refresh();

      assertThat(memory.get("r1").orElseThrow())
          .extracting(MemoryEntry::encoder, MemoryEntry::correctedLabel)
          .containsExactly("minilm@0123", "sports");
      assertThat(memory.get("r2").orElseThrow().encoder()).as("a record of no encoder").isNull();
      assertThat(memory.nearest("t", "bge@4567", new float[] {1, 0, 0, 0}, 5))
          .extracting(Neighbour::requestId)
          .containsExactly("r2");
    }
  }

  @Test
  void shouldKeepACorrectionWhenItsDocumentIsReplayedAfterARestart() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier first = applier(memory);
      first.apply("r1", answered("r1", "t", NOW, 1, 0, 0, 0));
      first.apply(MemoryRecords.correctionKey("r1"), corrected("r1", "sports"));
      memory.commit();

      // a new feed (empty pending corrections) reads the ANSWERED record again
      MemoryFeedApplier replay = applier(memory);
      replay.apply("r1", answered("r1", "t", NOW, 1, 0, 0, 0));
      memory.refresh();

      assertThat(memory.get("r1").map(MemoryEntry::correctedLabel)).contains("sports");
    }
  }

  @Test
  void shouldForgetARequestOnTheTombstoneOfItsDocumentKey() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier applier = applier(memory);
      applier.apply("r1", answered("r1", "t", NOW, 1, 0, 0, 0));
      applier.apply("r2", answered("r2", "t", NOW, 0, 1, 0, 0));
      applier.apply(MemoryRecords.correctionKey("r1"), corrected("r1", "sports"));
      memory.refresh();

      for (String key : MemoryRecords.keysOf("r1")) {
        applier.apply(key, null);
      }
      memory.refresh();

      assertThat(memory.get("r1")).isEmpty();
      assertThat(memory.get("r2")).isPresent();
      assertThat(applier.pendingCorrections()).isZero();
      // the document replayed after its tombstone's correction key: no correction comes back
      applier.apply("r1", answered("r1", "t", NOW, 1, 0, 0, 0));
      memory.refresh();
      assertThat(memory.get("r1").map(MemoryEntry::correctedLabel)).isEmpty();
    }
  }

  @Test
  void shouldSkipWhatTheMemoryCannotHoldAndSayWhy() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier applier = applier(memory);

      assertThat(
              applier.apply(
                  "old", answered("old", "t", NOW.minus(Duration.ofDays(31)), 1, 0, 0, 0)))
          .isFalse();
      assertThat(applier.lastSkipReason()).contains("retention");
      assertThat(applier.apply("wide", answered("wide", "t", NOW, 1, 0, 0, 0, 0))).isFalse();
      assertThat(applier.lastSkipReason()).contains("5 values").contains("4-dimensional");
      assertThat(applier.apply("long", answered("long", "t", NOW, 2, 0, 0, 0))).isFalse();
      assertThat(applier.lastSkipReason()).contains("L2 norm");
      MemoryRecord noEmbedding =
          MemoryRecord.newBuilder(answered("none", "t", NOW, 1, 0, 0, 0))
              .setEmbedding(null)
              .build();
      assertThat(applier.apply("none", noEmbedding)).isFalse();
      memory.refresh();

      assertThat(memory.size()).isZero();
      assertThat(applier.skipped()).isEqualTo(4);
      assertThat(applier.applied()).isZero();
    }
  }

  @Test
  void shouldDropEntriesPastRetention() throws IOException {
    try (DocumentMemory memory = open()) {
      MemoryFeedApplier early =
          new MemoryFeedApplier(
              memory, Duration.ofDays(30), Clock.fixed(NOW, ZoneOffset.UTC), 1000);
      early.apply("r1", answered("r1", "t", NOW.minus(Duration.ofDays(20)), 1, 0, 0, 0));
      early.apply("r2", answered("r2", "t", NOW, 0, 1, 0, 0));
      memory.refresh();
      MemoryFeedApplier later =
          new MemoryFeedApplier(
              memory,
              Duration.ofDays(30),
              Clock.fixed(NOW.plus(Duration.ofDays(15)), ZoneOffset.UTC),
              1000);

      later.enforceRetention();
      memory.refresh();

      assertThat(memory.get("r1")).isEmpty();
      assertThat(memory.get("r2")).isPresent();
    }
  }

  @Test
  void shouldKeyCorrectionsApartFromDocuments() {
    assertThat(MemoryRecords.correctionKey("r1")).isNotEqualTo("r1");
    assertThat(MemoryRecords.requestIdOf(MemoryRecords.correctionKey("r1"))).isEqualTo("r1");
    assertThat(MemoryRecords.requestIdOf("r1")).isEqualTo("r1");
    assertThat(MemoryRecords.isCorrectionKey("r1/corrected")).isFalse();
    assertThat(MemoryRecords.keysOf("r1")).containsExactly("r1", MemoryRecords.correctionKey("r1"));
  }
}
