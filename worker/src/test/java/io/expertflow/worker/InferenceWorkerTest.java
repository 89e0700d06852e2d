package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.tracing.Tracing;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The consumer-group loop in exactly-once mode on Kafka's {@link
 * org.apache.kafka.clients.consumer.MockConsumer} (as {@link RereadingConsumer}) and transactional
 * {@link org.apache.kafka.clients.producer.MockProducer}: what it commits, and that bad input, a
 * registry outage or a rebalance never stops it nor commits past unfinished work.
 */
class InferenceWorkerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final MockDelivery delivery = new MockDelivery("exactly_once");
  private final RereadingConsumer consumer = new RereadingConsumer();
  private final RecordingClients clients = new RecordingClients(consumer, null, delivery.producer);
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final Tracing tracing = Tracing.to(spans, "worker-test");
  private final InferenceWorker worker =
      new InferenceWorker(
          delivery.config,
          Map.of("bootstrap.servers", "mock:9092"),
          delivery.registry,
          delivery.processor,
          WorkerListener.NONE,
          Clock.systemUTC(),
          clients,
          delivery.outage,
          tracing);
  private final TopicPartition p0 = new TopicPartition(delivery.requests(), 0);
  private final TopicPartition p1 = new TopicPartition(delivery.requests(), 1);
  private Thread loop;

  @BeforeEach
  void assignTwoPartitions() {
    consumer.updateBeginningOffsets(Map.of(p0, 0L, p1, 0L));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0, p1)));
    loop = delivery.start(worker);
    await().atMost(PATIENCE).until(() -> consumer.assignment().size() == 2);
  }

  @AfterEach
  void stop() throws InterruptedException {
    worker.close();
    loop.join(PATIENCE.toMillis());
  }

  @Test
  void shouldWriteASpanPerCommitLinkedToTheTraceOfEachRecordItCarries() {
    var traced = delivery.record(0, 0, Requests.document("traced", 1), 1);
    traced
        .headers()
        .add(
            Tracing.TRACEPARENT,
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    append(traced);
    append(delivery.record(0, 1, Requests.document("untraced", 1), 1));

    awaitCommitted(p0, 2);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                spans.getFinishedSpanItems().stream()
                        .filter(s -> s.getName().equals("expertflow.commit"))
                        .mapToLong(
                            s ->
                                s.getAttributes()
                                    .get(
                                        io.opentelemetry.api.common.AttributeKey.longKey(
                                            "expertflow.records")))
                        .sum()
                    == 2);
    assertThat(
            spans.getFinishedSpanItems().stream()
                .filter(s -> s.getName().equals("expertflow.commit"))
                .flatMap(s -> s.getLinks().stream())
                .map(l -> l.getSpanContext().getTraceId()))
        .containsExactly("4bf92f3577b34da6a3ce929d0e0e4736");
    assertRunning();
  }

  @Test
  void shouldDeadLetterATombstoneAndCommitPastIt() {
    append(delivery.raw(0, 0, "doc-gone", null, 1));
    append(delivery.record(0, 1, Requests.document("after-tombstone", 1), 1));

    awaitCommitted(p0, 2);
    assertThat(delivery.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE));
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("after-tombstone");
    assertRunning();
  }

  @Test
  void shouldHoldARecordThroughARegistryOutageAndAnswerItOnceWhenTheRegistryIsBack() {
    delivery.registry.down();
    append(delivery.record(0, 0, Requests.document("held", 1), 1));

    await().atMost(PATIENCE).until(() -> delivery.outage.active() && !worker.isReady());
    await()
        .during(Duration.ofMillis(300))
        .atMost(PATIENCE)
        .until(() -> delivery.producer.history().isEmpty() && committed(p0) == null);
    assertRunning();

    delivery.registry.up();
    awaitCommitted(p0, 1);
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("held");
    assertThat(delivery.deadLetters()).isEmpty();
    assertThat(delivery.processor.calls()).as("run once, after the outage").isEqualTo(1);
    assertRunning();
  }

  @Test
  void shouldDeadLetterAPoisonRecordAndAnswerItsNeighbours() {
    append(delivery.record(0, 0, Requests.document("before", 1), 1));
    append(delivery.record(0, 1, Requests.poison("poison"), 1));
    append(delivery.record(0, 2, Requests.document("after", 2), 1));

    awaitCommitted(p0, 3);
    List<DeadLetter> letters = delivery.deadLetters();
    assertThat(letters).extracting(DeadLetter::getRequestId).containsExactly("poison");
    assertThat(letters.get(0).getReason()).isEqualTo(DeadLetterReason.POISON);
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("before", "after");
    assertRunning();
  }

  @Test
  void shouldReleaseTheInFlightWorkOfARevokedPartitionWithoutCommittingIt() {
    delivery.processor.hold("slow");
    append(delivery.record(1, 0, Requests.document("slow", 1), 1));
    append(delivery.record(0, 0, Requests.document("quick", 2), 1));
    awaitCommitted(p0, 1);
    await().atMost(PATIENCE).until(() -> delivery.processor.waits("slow"));
    assertThat(worker.inFlight()).isEqualTo(1);

    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0)));
    await().atMost(PATIENCE).until(() -> worker.inFlight() == 0);
    delivery.processor.release("slow");
    append(delivery.record(0, 1, Requests.document("later", 3), 1));

    awaitCommitted(p0, 2);
    assertThat(delivery.responses())
        .as("the revoked partition's record is left to its next owner")
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("quick", "later");
    assertThat(committed(p1)).as("nothing committed for the revoked partition").isNull();
    assertRunning();
  }

  @Test
  void shouldAnswerADocumentAsSoonAsItIsDoneNotAfterTheSlowerOnesBeforeIt() {
    delivery.processor.hold("slow");
    append(delivery.record(0, 0, Requests.document("slow", 1), 1));
    append(delivery.record(0, 1, Requests.document("quick", 2), 1));

    await()
        .atMost(PATIENCE)
        .until(() -> delivery.responses().stream().anyMatch(r -> r.getRequestId().equals("quick")));
    assertThat(committedPosition(p0))
        .as("committed with its answer: the offset stays at the unfinished record, 1 is named")
        .isEqualTo(new OffsetAndMetadata(0, AnsweredOffsets.encode(0, List.of(1L))));

    delivery.processor.release("slow");
    awaitCommitted(p0, 2);
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("quick", "slow");
    assertRunning();
  }

  @Test
  void shouldSkipWhatAnEarlierReaderAnsweredAheadOfTheCommittedOffset() {
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p1)));
    await().atMost(PATIENCE).until(() -> consumer.assignment().equals(java.util.Set.of(p1)));
    consumer.commitSync(
        Map.of(p0, new OffsetAndMetadata(0, AnsweredOffsets.encode(0, List.of(1L)))));
    consumer.schedulePollTask(() -> consumer.rebalance(List.of(p0, p1)));
    append(delivery.record(0, 0, Requests.document("first", 1), 1));
    append(delivery.record(0, 1, Requests.document("answered-before", 2), 1));
    append(delivery.record(0, 2, Requests.document("third", 3), 1));

    awaitCommitted(p0, 3);
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("first", "third");
    assertThat(delivery.processor.calls()).as("the answered record is not run again").isEqualTo(2);
    assertRunning();
  }

  private void append(ConsumerRecord<byte[], byte[]> r) {
    consumer.schedulePollTask(() -> consumer.append(r));
  }

  /** The last offset of {@code tp} committed in a transaction, or null. */
  private Long committed(TopicPartition tp) {
    OffsetAndMetadata o = committedPosition(tp);
    return o == null ? null : o.offset();
  }

  /** The last offset and metadata of {@code tp} committed in a transaction, or null. */
  private OffsetAndMetadata committedPosition(TopicPartition tp) {
    Map<TopicPartition, OffsetAndMetadata> all = new HashMap<>();
    delivery
        .producer
        .consumerGroupOffsetsHistory()
        .forEach(byGroup -> byGroup.values().forEach(all::putAll));
    return all.get(tp);
  }

  private void awaitCommitted(TopicPartition tp, long offset) {
    await().atMost(PATIENCE).until(() -> committed(tp) != null && committed(tp) >= offset);
    assertThat(committed(tp)).isEqualTo(offset);
  }

  private void assertRunning() {
    assertThat(delivery.failure()).isEmpty();
    assertThat(loop.isAlive()).as("the loop runs on").isTrue();
  }
}
