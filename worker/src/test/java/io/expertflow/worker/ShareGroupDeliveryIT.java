package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.PATIENCE;
import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.awaitShareMembers;
import static io.expertflow.worker.DeliveryChecks.keyOf;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share-group mode (KIP-932) on the real broker: more workers than partitions, per-record
 * acknowledgement, and the delivery limit that turns a record nobody can finish into a dead letter.
 */
@WithLocalStack
class ShareGroupDeliveryIT {
  private static final int DELIVERY_LIMIT = 3;

  @TempDir static Path bundleDir;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeBundle() {
    bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
  }

  @Test
  void shouldAnswerEveryRequestOnceWithThreeWorkersSharingOnePartition(LocalStack stack)
      throws Exception {
    TopicCatalog topics = onePartitionTopics(stack, "ShareGroupDeliveryIT-three");
    List<String> good = new ArrayList<>();
    List<String> poison = new ArrayList<>();
    long start = System.nanoTime();
    List<WorkerUnderTest> workers = new ArrayList<>();
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics)) {
      for (String id : List.of("share-a", "share-b", "share-c")) {
        workers.add(shareWorker(stack, topics, id));
      }
      awaitShareMembers(stack, topics.prefix() + "workers", 3);
      for (int i = 0; i < 1_500; i++) {
        InferenceRequest r =
            i % 300 == 11 ? Requests.poison("poison-" + i) : Requests.document("share-" + i, i);
        (i % 300 == 11 ? poison : good).add(r.getRequestId());
        feed.send(r);
      }
      feed.flush();
      awaitOutcomes(ledger, good.size() + poison.size());
      long answeredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      workers.forEach(WorkerUnderTest::close);
      ledger.readToEnd(PATIENCE);

      // at-least-once in general; with no crash and acknowledgements in time, exactly once
      assertThat(ledger.unanswered(good)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.responses()).hasSize(good.size());
      assertThat(ledger.responses())
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK));
      assertThat(ledger.deadLetters())
          .extracting(DeadLetter::getRequestId)
          .containsExactlyInAnyOrderElementsOf(poison);
      assertThat(ledger.deadLetters())
          .extracting(DeadLetter::getReason)
          .containsOnly(DeadLetterReason.POISON);
      assertThat(ledger.byWorker())
          .as("workers that answered from the one partition")
          .hasSizeGreaterThanOrEqualTo(2);
      workers.forEach(w -> assertThat(w.failure()).isEmpty());
      report(
          "share group: %d requests on 1 partition -> %d responses %s, %d duplicates,"
              + " %d POISON dead letters; all answered after %d ms",
          good.size() + poison.size(),
          ledger.responses().size(),
          ledger.byWorker(),
          ledger.duplicates().size(),
          ledger.deadLetters().size(),
          answeredMs);
    } finally {
      workers.forEach(WorkerUnderTest::close);
    }
  }

  @Test
  void shouldDeadLetterARecordWhoseDeliveriesKeepEndingWithoutAnAnswer(LocalStack stack)
      throws Exception {
    TopicCatalog topics = onePartitionTopics(stack, "ShareGroupDeliveryIT-limit");
    String group = topics.prefix() + "workers";
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        Admin admin = stack.newAdmin()) {
      setGroupConfig(admin, group, "share.auto.offset.reset", "earliest");
      feed.send(Requests.document("doomed", 1));
      feed.flush();
      // a consumer of the group takes the record and gives it back unanswered, as a worker that
      // dies with it would (a lock that times out counts a delivery the same way)
      int deliveries = abandon(stack, topics, group, DELIVERY_LIMIT - 1);
      List<String> good = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        good.add("after-" + i);
        feed.send(Requests.document("after-" + i, i));
      }
      feed.flush();
      try (WorkerUnderTest worker = shareWorker(stack, topics, "share-limit")) {
        awaitOutcomes(ledger, good.size() + 1);
        worker.close();
        ledger.readToEnd(PATIENCE);
        assertThat(worker.failure()).isEmpty();
      }

      assertThat(ledger.unanswered(good)).isEmpty();
      assertThat(ledger.duplicates()).isEmpty();
      assertThat(ledger.responses()).hasSize(good.size());
      assertThat(ledger.deadLetters()).hasSize(1);
      DeadLetter letter = ledger.deadLetters().get(0);
      assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DELIVERY_LIMIT);
      assertThat(letter.getAttempts()).isEqualTo(DELIVERY_LIMIT);
      assertThat(letter.getOriginalValue()).isNotNull();
      // the broker gives up after the same number of deliveries, so the worker sees the last one
      assertThat(groupConfig(admin, group, "share.delivery.count.limit"))
          .isEqualTo(String.valueOf(DELIVERY_LIMIT));
      report(
          "share delivery limit: record abandoned %d times, then dead-lettered %s after %d"
              + " deliveries; %d neighbours -> %d OK responses",
          deliveries,
          letter.getReason(),
          letter.getAttempts(),
          good.size(),
          ledger.responses().size());
    }
  }

  @Test
  void shouldDeadLetterATombstoneAndAnswerItsNeighbours(LocalStack stack) throws Exception {
    TopicCatalog topics = onePartitionTopics(stack, "ShareGroupDeliveryIT-tombstone");
    List<String> good = List.of("before-tombstone", "after-tombstone");
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest worker = shareWorker(stack, topics, "share-tombstone")) {
      feed.send(0, Requests.document(good.get(0), 1));
      feed.sendRaw(0, "doc-tombstone", null);
      feed.send(0, Requests.document(good.get(1), 2));
      feed.flush();
      awaitOutcomes(ledger, good.size() + 1);
      worker.close();
      ledger.readToEnd(PATIENCE);

      assertThat(worker.failure()).as("what ended the worker").isEmpty();
      assertThat(ledger.unanswered(good)).isEmpty();
      assertThat(ledger.duplicates()).isEmpty();
      assertThat(ledger.deadLetters()).hasSize(1);
      DeadLetter letter = ledger.deadLetters().get(0);
      assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
      assertThat(keyOf(letter)).isEqualTo("doc-tombstone");
      report(
          "share group tombstone: dead-lettered %s, %d neighbours answered",
          letter.getReason(), ledger.responses().size());
    }
  }

  /** Takes the topic's records from the share group and releases them, {@code times} times. */
  private static int abandon(LocalStack stack, TopicCatalog topics, String group, int times) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put("share.acknowledgement.mode", "explicit");
    AtomicInteger deliveries = new AtomicInteger();
    try (KafkaShareConsumer<byte[], byte[]> consumer =
        new KafkaShareConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.name(LogicalTopic.REQUESTS)));
      await()
          .atMost(PATIENCE)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                  deliveries.set(r.deliveryCount().orElseThrow());
                  consumer.acknowledge(r, AcknowledgeType.RELEASE);
                }
                consumer.commitSync();
                return deliveries.get() >= times;
              });
    }
    return deliveries.get();
  }

  private static WorkerUnderTest shareWorker(LocalStack stack, TopicCatalog topics, String id) {
    Map<String, String> props = WorkerUnderTest.properties(id, "share_group", topics.prefix());
    props.put("share.delivery.limit", String.valueOf(DELIVERY_LIMIT));
    props.put("max.poll.records", "100");
    return WorkerUnderTest.start(
        props,
        bundle,
        new PoisonMarkerTokenization(WorkerUnderTest.tokenization(bundle)),
        stack.clientProperties(),
        stack.registryClient());
  }

  private static TopicCatalog onePartitionTopics(LocalStack stack, String owner) throws Exception {
    TopicCatalog topics = stack.isolatedTopics(owner, b -> b.partitions(LogicalTopic.REQUESTS, 1));
    try (Admin admin = stack.newAdmin()) {
      String requests = topics.name(LogicalTopic.REQUESTS);
      assertThat(
              admin
                  .describeTopics(List.of(requests))
                  .allTopicNames()
                  .get(30, TimeUnit.SECONDS)
                  .get(requests)
                  .partitions())
          .hasSize(1);
    }
    return topics;
  }

  private static void setGroupConfig(Admin admin, String group, String key, String value)
      throws Exception {
    admin
        .incrementalAlterConfigs(
            Map.of(
                new ConfigResource(ConfigResource.Type.GROUP, group),
                List.of(new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static String groupConfig(Admin admin, String group, String key) throws Exception {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
    return admin
        .describeConfigs(List.of(resource))
        .all()
        .get(30, TimeUnit.SECONDS)
        .get(resource)
        .get(key)
        .value();
  }
}
