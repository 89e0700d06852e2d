package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The share-group loop on Kafka's {@link org.apache.kafka.clients.consumer.MockShareConsumer} (as
 * {@link AcknowledgingShareConsumer}) and {@link org.apache.kafka.clients.producer.MockProducer}:
 * what it acknowledges, what it writes, and that bad input or a registry outage never stops it.
 */
class ShareGroupWorkerTest {
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  private final MockDelivery delivery = new MockDelivery("share_group");
  private final AcknowledgingShareConsumer consumer = new AcknowledgingShareConsumer();
  private final RecordingClients clients = new RecordingClients(null, consumer, delivery.producer);
  private final ShareGroupWorker worker =
      new ShareGroupWorker(
          delivery.config,
          Map.of("bootstrap.servers", "mock:9092"),
          delivery.registry,
          delivery.processor,
          WorkerListener.NONE,
          Clock.systemUTC(),
          clients,
          delivery.outage);
  private Thread loop;

  @AfterEach
  void stop() throws InterruptedException {
    worker.close();
    loop.join(PATIENCE.toMillis());
  }

  @Test
  void shouldDeadLetterATombstoneAndAnswerTheRecordAfterIt() {
    start();
    consumer.addRecord(delivery.raw(0, 0, "doc-gone", null, 1));
    consumer.addRecord(delivery.record(0, 1, Requests.document("after-tombstone", 1), 1));

    awaitAccepted(0, 1);
    assertThat(delivery.deadLetters()).hasSize(1);
    DeadLetter letter = delivery.deadLetters().get(0);
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(letter.getDetail()).contains("tombstone");
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("after-tombstone");
    assertRunning();
  }

  @Test
  void shouldHoldARecordThroughARegistryOutageAndAnswerItOnceWhenTheRegistryIsBack() {
    start();
    delivery.registry.down();
    consumer.addRecord(delivery.record(0, 0, Requests.document("held", 1), 1));

    await().atMost(PATIENCE).until(() -> delivery.outage.active() && !worker.isReady());
    await()
        .during(Duration.ofMillis(300))
        .atMost(PATIENCE)
        .until(
            () -> consumer.acknowledgements(0).isEmpty() && delivery.producer.history().isEmpty());
    assertRunning();

    delivery.registry.up();
    awaitAccepted(0);
    assertThat(consumer.acknowledgements(0))
        .as("held, then accepted once: never released (a release counts a delivery)")
        .containsExactly(AcknowledgeType.ACCEPT);
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactly("held");
    assertThat(delivery.deadLetters()).isEmpty();
    await().atMost(PATIENCE).until(worker::isReady);
    assertRunning();
  }

  @Test
  void shouldDeadLetterAPoisonRecordAndAnswerItsNeighbours() {
    start();
    consumer.addRecord(delivery.record(0, 0, Requests.document("before", 1), 1));
    consumer.addRecord(delivery.record(0, 1, Requests.poison("poison"), 1));
    consumer.addRecord(delivery.record(0, 2, Requests.document("after", 2), 1));

    awaitAccepted(0, 1, 2);
    assertThat(delivery.deadLetters())
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getRequestId()).isEqualTo("poison");
              assertThat(d.getReason()).isEqualTo(DeadLetterReason.POISON);
              assertThat(d.getAttempts()).isEqualTo(3);
            });
    assertThat(delivery.responses())
        .extracting(InferenceResponse::getRequestId)
        .containsExactlyInAnyOrder("before", "after");
    assertRunning();
  }

  @Test
  void shouldDeadLetterARecordOnItsLastDeliveryWithoutRunningIt() {
    start();
    consumer.addRecord(delivery.record(0, 0, Requests.document("doomed", 1), 3));

    awaitAccepted(0);
    assertThat(delivery.deadLetters())
        .singleElement()
        .satisfies(d -> assertThat(d.getReason()).isEqualTo(DeadLetterReason.DELIVERY_LIMIT));
    assertThat(delivery.processor.calls()).isZero();
  }

  @Test
  void shouldMakeEveryClientWithTheSecurityOverrides() {
    start();
    await().atMost(PATIENCE).until(() -> clients.groupConfigs().size() == 2);

    for (String kind : List.of("share-consumer", "producer", "admin")) {
      assertThat(clients.settings(kind))
          .as("settings of the %s", kind)
          .containsEntry("bootstrap.servers", "mock:9092")
          .containsEntry("security.protocol", "SASL_SSL")
          .containsEntry("sasl.mechanism", "PLAIN")
          .containsEntry("sasl.jaas.config", "test-jaas-config");
    }
    assertThat(clients.groupConfigs())
        .containsExactly(
            "mock-workers:share.auto.offset.reset=earliest",
            "mock-workers:share.delivery.count.limit=3");
  }

  private void start() {
    loop = delivery.start(worker);
    await().atMost(PATIENCE).until(() -> !consumer.subscription().isEmpty());
  }

  private void awaitAccepted(long... offsets) {
    await()
        .atMost(PATIENCE)
        .until(
            () -> {
              for (long o : offsets) {
                if (!consumer.acknowledgements(o).contains(AcknowledgeType.ACCEPT)) {
                  return false;
                }
              }
              return true;
            });
    for (long o : offsets) {
      assertThat(consumer.acknowledgements(o))
          .as("offset %d", o)
          .containsExactly(AcknowledgeType.ACCEPT);
    }
  }

  private void assertRunning() {
    assertThat(delivery.failure()).isEmpty();
    assertThat(loop.isAlive()).as("the loop runs on").isTrue();
  }
}
