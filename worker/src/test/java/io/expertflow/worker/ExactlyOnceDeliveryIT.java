package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.PATIENCE;
import static io.expertflow.worker.DeliveryChecks.awaitMembersWithPartitions;
import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.elapsedMs;
import static io.expertflow.worker.DeliveryChecks.reasons;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.batching.BatchPolicy;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.micrometer.core.instrument.DistributionSummary;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The consumer-group worker in its default exactly-once mode, on the real broker and schema
 * registry with the tiny real ONNX bundle: every request ends as exactly one response or one dead
 * letter, as a read_committed reader sees it.
 */
@WithLocalStack
class ExactlyOnceDeliveryIT {
  @TempDir static Path bundleDir;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeBundle() {
    bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
  }

  @Test
  void shouldAnswerTenThousandDocumentsWithExactlyOneResponseEach(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-10k");
    int count = 10_000;
    List<String> ids = new ArrayList<>(count);
    long start = System.nanoTime();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest worker = worker(stack, topics, "eo-single")) {
      for (int i = 0; i < count; i++) {
        InferenceRequest r = Requests.document("bulk-" + i, i);
        ids.add(r.getRequestId());
        feed.send(r);
      }
      feed.flush();
      awaitOutcomes(ledger, count);
      long answeredMs = elapsedMs(start);
      worker.close();
      ledger.readToEnd(PATIENCE);

      assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.responses()).hasSize(count);
      assertThat(ledger.deadLetters()).isEmpty();
      assertThat(ledger.responses())
          .allSatisfy(
              r -> {
                assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK);
                assertThat(r.getModelVersion()).isEqualTo("test-1");
                assertThat(r.getExperts()).hasSize(2);
              });
      assertThat(worker.failure()).isEmpty();
      report(
          "%d requests -> %d responses, %d distinct, %d duplicates, %d dead letters;"
              + " all answered after %d ms (%.0f docs/s)",
          count,
          ledger.responses().size(),
          ledger.answered(),
          ledger.duplicates().size(),
          ledger.deadLetters().size(),
          answeredMs,
          count * 1000.0 / answeredMs);
    }
  }

  @Test
  void shouldShareThreePartitionsBetweenTwoWorkersWithoutLossOrDuplicates(LocalStack stack)
      throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-two-workers");
    int perWave = 2_000;
    List<String> ids = new ArrayList<>();
    long start = System.nanoTime();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest first = worker(stack, topics, "eo-first")) {
      sendWave(feed, "wave1-", perWave, ids);
      // the second worker joins while the first is mid-stream: its partitions are revoked with
      // work in flight, which the new owner must process again without duplicating what was
      // committed
      await()
          .atMost(PATIENCE)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ledger.poll().answered() >= perWave / 10);
      int answeredBeforeJoin = ledger.answered();
      try (WorkerUnderTest second = worker(stack, topics, "eo-second")) {
        awaitMembersWithPartitions(stack, topics.prefix() + "workers", 2);
        sendWave(feed, "wave2-", perWave, ids);
        awaitOutcomes(ledger, ids.size());
        long answeredMs = elapsedMs(start);
        first.close();
        second.close();
        ledger.readToEnd(PATIENCE);

        assertThat(answeredBeforeJoin)
            .as("answered before the second worker joined")
            .isLessThan(perWave);
        assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
        assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
        assertThat(ledger.responses()).hasSize(ids.size());
        assertThat(ledger.deadLetters()).isEmpty();
        assertThat(ledger.byWorker()).containsOnlyKeys("eo-first", "eo-second");
        assertThat(first.failure()).isEmpty();
        assertThat(second.failure()).isEmpty();
        report(
            "two workers: %d requests -> %d responses (%s), %d duplicates; second joined after"
                + " %d answers; all answered after %d ms",
            ids.size(),
            ledger.responses().size(),
            ledger.byWorker(),
            ledger.duplicates().size(),
            answeredBeforeJoin,
            answeredMs);
      }
    }
  }

  @Test
  void shouldDeadLetterPoisonDocumentsWhileTheirBatchNeighboursSucceed(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-poison");
    List<String> good = new ArrayList<>();
    List<String> poison = new ArrayList<>();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics)) {
      // all on one partition and produced before the worker starts, so batches fill up and each
      // poison document shares its batch with good ones
      for (int i = 0; i < 256; i++) {
        InferenceRequest r =
            i % 32 == 7 ? Requests.poison("poison-" + i) : Requests.document("good-" + i, i);
        (i % 32 == 7 ? poison : good).add(r.getRequestId());
        feed.send(0, r);
      }
      feed.flush();
      try (WorkerUnderTest worker =
          WorkerUnderTest.start(
              WorkerUnderTest.properties("eo-poison", "exactly_once", topics.prefix()),
              bundle,
              new PoisonMarkerTokenization(WorkerUnderTest.tokenization(bundle)),
              stack.clientProperties(),
              stack.registryClient())) {
        awaitOutcomes(ledger, good.size() + poison.size());
        DistributionSummary bisected =
            worker.app().meters().get("expertflow.worker.batch.bisected").summary();
        worker.close();
        ledger.readToEnd(PATIENCE);

        assertThat(ledger.unanswered(good)).isEmpty();
        assertThat(ledger.duplicates()).isEmpty();
        assertThat(ledger.responses()).hasSize(good.size());
        assertThat(ledger.responses())
            .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK));
        assertThat(ledger.deadLetters())
            .extracting(DeadLetter::getRequestId)
            .containsExactlyInAnyOrderElementsOf(poison);
        assertThat(ledger.deadLetters())
            .allSatisfy(
                d -> {
                  assertThat(d.getReason()).isEqualTo(DeadLetterReason.POISON);
                  assertThat(d.getStage()).isEqualTo("worker");
                  assertThat(d.getOriginalValue()).isNotNull();
                  assertThat(d.getDetail()).contains("encoder fail");
                  assertThat(d.getAttempts())
                      .as("runs of the poison chunk on its own")
                      .isEqualTo(BatchPolicy.DEFAULT_MAX_ATTEMPTS);
                });
        // the engine failed on whole batches; bisection answered the good chunks in them
        assertThat(bisected.count()).as("batches bisected").isPositive();
        assertThat(bisected.totalAmount())
            .as("good chunks answered out of failed batches")
            .isPositive();
        report(
            "poison: %d requests -> %d OK responses, %d dead letters %s; %d batches bisected,"
                + " %.0f good chunks of them answered",
            good.size() + poison.size(),
            ledger.responses().size(),
            ledger.deadLetters().size(),
            reasons(ledger),
            bisected.count(),
            bisected.totalAmount());
      }
    }
  }

  @Test
  void shouldAnswerExpiredRequestsWithoutRunningThem(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-expired");
    List<String> live = new ArrayList<>();
    List<String> expired = new ArrayList<>();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest worker = worker(stack, topics, "eo-expired")) {
      for (int i = 0; i < 60; i++) {
        InferenceRequest r =
            i % 4 == 1 ? Requests.expired("late-" + i) : Requests.document("live-" + i, i);
        (i % 4 == 1 ? expired : live).add(r.getRequestId());
        feed.send(0, r);
      }
      feed.flush();
      awaitOutcomes(ledger, live.size() + expired.size());
      worker.close();
      ledger.readToEnd(PATIENCE);

      assertThat(ledger.duplicates()).isEmpty();
      assertThat(ledger.deadLetters()).isEmpty();
      Map<ResponseStatus, List<String>> byStatus = new HashMap<>();
      for (InferenceResponse r : ledger.responses()) {
        byStatus.computeIfAbsent(r.getStatus(), s -> new ArrayList<>()).add(r.getRequestId());
        if (r.getStatus() == ResponseStatus.EXPIRED) {
          assertThat(r.getLabels()).as("labels of an expired request").isEmpty();
          assertThat(r.getExperts()).isEmpty();
          assertThat(r.getChunkCount()).isZero();
          assertThat(r.getTimings().getInferenceMs()).isZero();
          assertThat(r.getStatusReason()).contains("deadline");
        }
      }
      assertThat(byStatus.get(ResponseStatus.EXPIRED)).containsExactlyInAnyOrderElementsOf(expired);
      assertThat(byStatus.get(ResponseStatus.OK)).containsExactlyInAnyOrderElementsOf(live);
      report(
          "expired: %d requests -> %d OK, %d EXPIRED, %d dead letters",
          live.size() + expired.size(),
          byStatus.get(ResponseStatus.OK).size(),
          byStatus.get(ResponseStatus.EXPIRED).size(),
          ledger.deadLetters().size());
    }
  }

  private static void sendWave(RequestFeed feed, String prefix, int count, List<String> ids) {
    for (int i = 0; i < count; i++) {
      InferenceRequest r = Requests.document(prefix + i, prefix.hashCode() * 31L + i);
      ids.add(r.getRequestId());
      feed.send(r);
    }
    feed.flush();
  }

  @Test
  void shouldSkipTheRecordsThatTheCommittedMetadataNamesAsAnswered(LocalStack stack)
      throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ExactlyOnceDeliveryIT-answered-ahead");
    String group = topics.prefix() + "workers";
    TopicPartition p0 = new TopicPartition(topics.name(LogicalTopic.REQUESTS), 0);
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics)) {
      for (int i = 0; i < 6; i++) {
        feed.send(0, Requests.document("ahead-" + i, i));
      }
      feed.flush();
      // an earlier reader answered offsets 2 and 4 before offset 1 and committed, in a transaction
      // as a worker does, offset 1 with them named in the metadata
      Map<String, Object> props = new HashMap<>(stack.clientProperties());
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topics.prefix() + "earlier-reader");
      try (KafkaProducer<byte[], byte[]> earlier =
          new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
        earlier.initTransactions();
        earlier.beginTransaction();
        earlier.sendOffsetsToTransaction(
            Map.of(p0, new OffsetAndMetadata(1, AnsweredOffsets.encode(1, List.of(2L, 4L)))),
            new ConsumerGroupMetadata(group));
        earlier.commitTransaction();
      }
      try (Admin admin = stack.newAdmin()) {
        assertThat(
                admin
                    .listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata()
                    .get()
                    .get(p0)
                    .metadata())
            .as("the broker keeps the metadata of a transactional offset commit")
            .isEqualTo(AnsweredOffsets.encode(1, List.of(2L, 4L)));
      }

      try (WorkerUnderTest worker = worker(stack, topics, "eo-ahead")) {
        awaitOutcomes(ledger, 3);
        await()
            .atMost(PATIENCE)
            .until(
                () -> {
                  try (Admin admin = stack.newAdmin()) {
                    OffsetAndMetadata committed =
                        admin
                            .listConsumerGroupOffsets(group)
                            .partitionsToOffsetAndMetadata()
                            .get()
                            .get(p0);
                    return committed.offset() == 6 && committed.metadata().isEmpty();
                  }
                });
        assertThat(worker.failure()).isEmpty();
      }
      ledger.readToEnd(PATIENCE);

      assertThat(ledger.responses())
          .as("offset 0 is before the committed offset; 2 and 4 were answered before")
          .extracting(r -> r.getRequestId().toString())
          .containsExactlyInAnyOrder("ahead-1", "ahead-3", "ahead-5");
    }
  }

  private static WorkerUnderTest worker(LocalStack stack, TopicCatalog topics, String id) {
    return WorkerUnderTest.start(
        WorkerUnderTest.properties(id, "exactly_once", topics.prefix()),
        bundle,
        WorkerUnderTest.tokenization(bundle),
        stack.clientProperties(),
        stack.registryClient());
  }
}
