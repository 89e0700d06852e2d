package io.expertflow.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentMemoryTest {
  private static final int DIM = 8;
  private static final Instant T0 = Instant.parse("2026-01-05T10:00:00Z");

  @TempDir Path dir;

  private DocumentMemory open() throws IOException {
    return DocumentMemory.open(dir, MemoryConfig.defaults(DIM));
  }

  private static MemoryEntry entry(String id, String tenant, float[] v) {
    return MemoryEntry.answered(id, tenant, T0, "news", v);
  }

  @Test
  void shouldNeverReturnAnotherTenantsDocumentsEvenWhenTheyAreCloser() throws IOException {
    try (DocumentMemory memory = open()) {
      float[] query = TestVectors.axis(DIM, 0);
      memory.upsert(entry("b-exact", "tenant-b", query));
      memory.upsert(
          entry("b-close", "tenant-b", TestVectors.mix(query, TestVectors.axis(DIM, 1), 0.1)));
      memory.upsert(entry("a-far", "tenant-a", TestVectors.axis(DIM, 3)));
      memory.upsert(
          entry("a-mid", "tenant-a", TestVectors.mix(query, TestVectors.axis(DIM, 2), 0.7)));
      memory.refresh();

      List<Neighbour> forA = memory.nearest("tenant-a", null, query, 10);
      List<Neighbour> forB = memory.nearest("tenant-b", null, query, 1);

      assertThat(forA).extracting(Neighbour::requestId).containsExactly("a-mid", "a-far");
      assertThat(forB).extracting(Neighbour::requestId).containsExactly("b-exact");
      assertThat(forB.get(0).similarity())
          .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-5));
      assertThat(memory.nearest("tenant-c", null, query, 10)).isEmpty();
    }
  }

  @Test
  void shouldKeepTenantsApartInTheGraphSearchOfALargerIndex() throws IOException {
    int dim = 32;
    TestVectors data = new TestVectors(3, dim, 10, 1.0);
    float[] query = data.next();
    try (DocumentMemory memory = DocumentMemory.open(dir, MemoryConfig.defaults(dim))) {
      for (int i = 0; i < 1000; i++) {
        memory.upsert(entry("b" + i, "tenant-b", TestVectors.mix(query, data.next(), 0.05)));
        memory.upsert(entry("a" + i, "tenant-a", data.next()));
      }
      memory.refresh();

      List<Neighbour> forA = memory.nearest("tenant-a", null, query, 10);

      assertThat(forA).hasSize(10);
      assertThat(forA).allSatisfy(n -> assertThat(n.requestId()).startsWith("a"));
      assertThat(memory.nearest("tenant-b", null, query, 10))
          .allSatisfy(n -> assertThat(n.similarity()).isGreaterThan(forA.get(0).similarity()));
    }
  }

  @Test
  void shouldReplaceAnEntryWithTheSameRequestId() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "t", TestVectors.axis(DIM, 0)));
      memory.upsert(
          new MemoryEntry(
              "r1", "t", T0.plusSeconds(5), "sport", "finance", TestVectors.axis(DIM, 1)));
      memory.refresh();

      List<Neighbour> hits = memory.nearest("t", null, TestVectors.axis(DIM, 1), 5);

      assertThat(memory.size()).isEqualTo(1);
      assertThat(hits).hasSize(1);
      assertThat(hits.get(0).predictedLabel()).isEqualTo("sport");
      assertThat(hits.get(0).correctedLabel()).isEqualTo("finance");
      assertThat(hits.get(0).timestamp()).isEqualTo(T0.plusSeconds(5));
      assertThat(hits.get(0).similarity()).isGreaterThan(0.999);
    }
  }

  @Test
  void shouldForgetADeletedRequestAfterRefresh() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("keep", "t", TestVectors.axis(DIM, 0)));
      memory.upsert(entry("forget", "t", TestVectors.axis(DIM, 1)));
      memory.refresh();

      memory.delete("forget");
      memory.refresh();

      assertThat(memory.nearest("t", null, TestVectors.axis(DIM, 1), 10))
          .extracting(Neighbour::requestId)
          .containsExactly("keep");
      memory.expungeDeleted();
      assertThat(memory.size()).isEqualTo(1);
    }
  }

  @Test
  void shouldShowACorrectedLabelToTheNextQueryAfterRefresh() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "t", TestVectors.axis(DIM, 0)));
      memory.refresh();
      assertThat(memory.nearest("t", null, TestVectors.axis(DIM, 0), 1).get(0).corrected())
          .isFalse();

      memory.correct("r1", "finance");
      Neighbour before = memory.nearest("t", null, TestVectors.axis(DIM, 0), 1).get(0);
      memory.refresh();
      Neighbour after = memory.nearest("t", null, TestVectors.axis(DIM, 0), 1).get(0);

      assertThat(before.correctedLabel()).as("not visible before refresh").isNull();
      assertThat(after.correctedLabel()).isEqualTo("finance");
      assertThat(after.label()).isEqualTo("finance");
      assertThat(after.predictedLabel()).isEqualTo("news");
      memory.correct("unknown-request", "finance"); // no entry: nothing happens
      memory.refresh();
      assertThat(memory.size()).isEqualTo(1);
    }
  }

  @Test
  void shouldDeleteEntriesOlderThanTheRetentionCutoff() throws IOException {
    try (DocumentMemory memory = open()) {
      for (int day = 0; day < 5; day++) {
        memory.upsert(
            new MemoryEntry(
                "day-" + day,
                "t",
                T0.plusSeconds(86_400L * day),
                "news",
                null,
                TestVectors.axis(DIM, day)));
      }
      memory.refresh();

      memory.deleteOlderThan(T0.plusSeconds(86_400L * 3));
      memory.refresh();

      assertThat(memory.nearest("t", null, TestVectors.axis(DIM, 0), 10))
          .extracting(Neighbour::requestId)
          .containsExactlyInAnyOrder("day-3", "day-4");
    }
  }

  @Test
  void shouldCompareAnEmbeddingOnlyWithThoseOfItsEncoderAndThoseThatNameNone() throws IOException {
    float[] query = TestVectors.axis(DIM, 0);
    try (DocumentMemory memory = open()) {
      // the closest entry was made by another encoder of the same width: its cosine means nothing
      memory.upsert(new MemoryEntry("other-exact", "t", T0, "news", null, query, "bge@2222"));
      memory.upsert(
          new MemoryEntry(
              "mine-near",
              "t",
              T0,
              "news",
              null,
              TestVectors.mix(query, TestVectors.axis(DIM, 1), 0.3),
              "minilm@1111"));
      memory.upsert(
          entry("unnamed-far", "t", TestVectors.mix(query, TestVectors.axis(DIM, 2), 0.6)));
      memory.refresh();

      assertThat(memory.nearest("t", "minilm@1111", query, 10))
          .extracting(Neighbour::requestId)
          .containsExactly("mine-near", "unnamed-far");
      assertThat(memory.nearest("t", "bge@2222", query, 10))
          .extracting(Neighbour::requestId)
          .containsExactly("other-exact", "unnamed-far");
      assertThat(memory.nearest("t", "e5@3333", query, 10))
          .extracting(Neighbour::requestId)
          .containsExactly("unnamed-far");
      assertThat(memory.nearest("t", null, query, 10))
          .as("no encoder named: every entry")
          .extracting(Neighbour::requestId)
          .containsExactly("other-exact", "mine-near", "unnamed-far");
      assertThat(memory.get("mine-near").orElseThrow().encoder()).isEqualTo("minilm@1111");
      assertThat(memory.get("unnamed-far").orElseThrow().encoder()).isNull();
      assertThatThrownBy(() -> memory.nearest("t", "", query, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("encoder");
    }
  }

  @Test
  void shouldKeepEntriesAndCorrectionsAcrossCloseAndReopen() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "t", TestVectors.axis(DIM, 0)));
      memory.upsert(entry("r2", "t", TestVectors.axis(DIM, 1)));
      memory.correct("r2", "sport");
    }
    try (DocumentMemory reopened = open()) {
      List<Neighbour> hits = reopened.nearest("t", null, TestVectors.axis(DIM, 1), 2);

      assertThat(reopened.size()).isEqualTo(2);
      assertThat(hits).extracting(Neighbour::requestId).containsExactly("r2", "r1");
      assertThat(hits.get(0).correctedLabel()).isEqualTo("sport");
    }
  }

  @Test
  void shouldFindTheExactNeighboursOfAlmostEveryQueryOnASmallClusteredSet() throws IOException {
    int dim = 32;
    TestVectors data = new TestVectors(7, dim, 20, 1.0);
    List<float[]> stored = new ArrayList<>();
    try (DocumentMemory memory = DocumentMemory.open(dir, MemoryConfig.defaults(dim))) {
      for (int i = 0; i < 3000; i++) {
        float[] v = data.next();
        stored.add(v);
        memory.upsert(entry("d" + i, "t", v));
      }
      memory.commit();
      int found = 0;
      int queries = 50;
      for (int q = 0; q < queries; q++) {
        float[] query = data.next();
        Set<String> exact = new HashSet<>();
        IntStream.range(0, stored.size())
            .boxed()
            .sorted(Comparator.comparingDouble(i -> -TestVectors.dot(stored.get(i), query)))
            .limit(10)
            .forEach(i -> exact.add("d" + i));
        for (Neighbour n : memory.nearest("t", null, query, 10)) {
          found += exact.contains(n.requestId()) ? 1 : 0;
        }
      }

      assertThat(found / (10.0 * queries)).as("recall@10").isGreaterThanOrEqualTo(0.95);
    }
  }

  @Test
  void shouldRefuseAnEmbeddingOfTheWrongDimensionOrNorm() throws IOException {
    try (DocumentMemory memory = open()) {
      assertThatThrownBy(() -> memory.upsert(entry("r1", "t", new float[DIM + 1])))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("9 values")
          .hasMessageContaining("8-dimensional");
      assertThatThrownBy(() -> memory.nearest("t", null, new float[3], 5))
          .hasMessageContaining("3 values");
      float[] twice = TestVectors.axis(DIM, 0);
      twice[0] = 2;
      assertThatThrownBy(() -> memory.nearest("t", null, twice, 5))
          .hasMessageContaining("L2 norm 2.0");
      assertThatThrownBy(() -> memory.nearest("t", null, TestVectors.axis(DIM, 0), 0))
          .hasMessageContaining("k must be >= 1");
    }
  }

  @Test
  void shouldRefuseToOpenAMemoryWithAnotherDimension() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "t", TestVectors.axis(DIM, 0)));
    }

    assertThatThrownBy(() -> DocumentMemory.open(dir, MemoryConfig.defaults(16)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("holds 8-dimensional embeddings but was opened for 16");
    try (DocumentMemory again = open()) {
      assertThat(again.size()).as("the failed open left the folder usable").isEqualTo(1);
    }
  }

  @Test
  void shouldAnswerReadersWhileOneWriterUpsertsAndRefreshes() throws Exception {
    int dim = 16;
    TestVectors data = new TestVectors(11, dim, 5, 1.0);
    try (DocumentMemory memory = DocumentMemory.open(dir, MemoryConfig.defaults(dim))) {
      ExecutorService readers = Executors.newFixedThreadPool(2);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<Integer>> answers = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        float[] query = data.next();
        answers.add(
            readers.submit(
                () -> {
                  int queries = 0;
                  while (writing.get() || queries == 0) {
                    for (Neighbour n : memory.nearest("t", null, query, 5)) {
                      assertThat(n.requestId()).startsWith("w");
                    }
                    queries++;
                  }
                  return queries;
                }));
      }
      for (int i = 0; i < 300; i++) {
        memory.upsert(entry("w" + i, "t", data.next()));
        if (i % 25 == 0) {
          memory.refresh();
        }
      }
      memory.refresh();
      writing.set(false);

      for (Future<Integer> a : answers) {
        assertThat(a.get(10, TimeUnit.SECONDS)).isPositive();
      }
      readers.shutdown();
      assertThat(memory.size()).isEqualTo(300);
    }
  }

  @Test
  void shouldRefuseWorkAfterClose() throws IOException {
    DocumentMemory memory = open();
    memory.close();
    memory.close();

    assertThatThrownBy(() -> memory.nearest("t", null, TestVectors.axis(DIM, 0), 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("is closed");
  }

  @Test
  void shouldReturnAStoredEntryWithItsEmbeddingTenantAndCorrection() throws IOException {
    float[] v = TestVectors.mix(TestVectors.axis(DIM, 0), TestVectors.axis(DIM, 5), 0.3);
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "tenant-a", v));
      memory.correct("r1", "sports");
      assertThat(memory.get("r1")).as("invisible before the refresh").isEmpty();
      memory.refresh();

      MemoryEntry e = memory.get("r1").orElseThrow();

      assertThat(e.tenant()).isEqualTo("tenant-a");
      assertThat(e.timestamp()).isEqualTo(T0);
      assertThat(e.predictedLabel()).isEqualTo("news");
      assertThat(e.correctedLabel()).isEqualTo("sports");
      assertThat(e.embedding()).containsExactly(v);
      assertThat(memory.get("unknown")).isEmpty();
      memory.delete("r1");
      memory.refresh();
      assertThat(memory.get("r1")).isEmpty();
    }
  }

  @Test
  void shouldKeepTheCommitsUserDataAcrossAReopen() throws IOException {
    try (DocumentMemory memory = open()) {
      assertThat(memory.committedUserData()).isEmpty();
      memory.upsert(entry("r1", "tenant-a", TestVectors.axis(DIM, 1)));
      memory.commit(java.util.Map.of("offset.memory-0", "42"));
    }
    try (DocumentMemory memory = open()) {
      assertThat(memory.committedUserData()).containsEntry("offset.memory-0", "42");
      assertThat(memory.size()).isEqualTo(1);
    }
  }

  @Test
  void shouldForgetEveryEntryAndTheCommitsUserDataWhenCleared() throws IOException {
    try (DocumentMemory memory = open()) {
      memory.upsert(entry("r1", "tenant-a", TestVectors.axis(DIM, 1)));
      memory.upsert(entry("r2", "tenant-a", TestVectors.axis(DIM, 2)));
      memory.commit(java.util.Map.of("offset.memory-0", "42"));

      memory.clear();

      assertThat(memory.size()).isZero();
      assertThat(memory.get("r1")).isEmpty();
      assertThat(memory.committedUserData()).isEmpty();
      assertThat(memory.nearest("tenant-a", null, TestVectors.axis(DIM, 1), 5)).isEmpty();
    }
    try (DocumentMemory memory = open()) {
      assertThat(memory.size()).as("cleared durably").isZero();
      assertThat(memory.committedUserData()).isEmpty();
    }
  }
}
