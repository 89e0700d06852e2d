package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The ledger filled from real topics: committed outcomes count, an aborted transaction's do not,
 * and a record that does not decode is counted apart.
 */
@WithLocalStack
class LedgerFeedIT {
  private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

  @Test
  void shouldReconcileWhatAReadCommittedReaderSeesOnTheOutcomeTopics(
      LocalStack stack, TopicCatalog catalog) throws Exception {
    TopicNames topics = TopicNames.of(catalog);
    try (SchemaRegistryClient registry = stack.registryClient();
        AvroSerializer<SpecificRecord> avro = new AvroSerializer<>(registry, false);
        KafkaProducer<String, byte[]> producer = transactionalProducer(stack)) {
      producer.initTransactions();
      producer.beginTransaction();
      send(producer, avro, topics.responses(), "answered", response("answered", T));
      send(producer, avro, topics.audit(), "answered", audit("answered"));
      send(producer, avro, topics.responses(), "twice", response("twice", T));
      send(producer, avro, topics.responses(), "twice", response("twice", T));
      send(producer, avro, topics.audit(), "twice", audit("twice"));
      send(producer, avro, topics.deadLetters(), "refused", deadLetter("refused"));
      send(producer, avro, topics.responses(), "late", response("late", T.plusSeconds(61)));
      send(producer, avro, topics.audit(), "late", audit("late"));
      producer.send(new ProducerRecord<>(topics.responses(), "garbage", new byte[] {1, 2, 3}));
      producer.commitTransaction();
      producer.beginTransaction();
      send(producer, avro, topics.responses(), "aborted", response("aborted", T));
      producer.flush();
      producer.abortTransaction();

      OutcomeLedger ledger = new OutcomeLedger();
      for (String id : List.of("answered", "twice", "refused", "aborted")) {
        ledger.submitted(id, null);
      }
      ledger.submitted("late", T.plusSeconds(60).toEpochMilli());
      LedgerFeed.Read read =
          LedgerFeed.readInto(
              ledger, stack.clientProperties(), registry, topics, Duration.ofSeconds(60));
      Reconciliation result = ledger.reconcile();

      assertThat(read).isEqualTo(new LedgerFeed.Read(4, 1, 3, 1));
      assertThat(result.submitted()).isEqualTo(5);
      assertThat(result.answeredOnce()).isEqualTo(3);
      assertThat(result.examples().lost()).containsExactly("aborted");
      assertThat(result.examples().duplicated()).containsExactly("twice");
      assertThat(result.examples().late()).containsExactly("late");
      assertThat(result.responsesWithoutAudit()).isZero();
      assertThat(result.deadLettered()).isEqualTo(1);
      System.out.print(result.summary());
    }
  }

  private static void send(
      KafkaProducer<String, byte[]> producer,
      AvroSerializer<SpecificRecord> avro,
      String topic,
      String key,
      SpecificRecord value) {
    producer.send(new ProducerRecord<>(topic, key, avro.serialize(topic, value)));
  }

  private static KafkaProducer<String, byte[]> transactionalProducer(LocalStack stack) {
    Map<String, Object> config = new HashMap<>(stack.clientProperties());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "ledger-feed-it-" + UUID.randomUUID());
    return new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
  }

  private static InferenceResponse response(String id, Instant producedAt) {
    return InferenceResponse.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setModelName("tiny")
        .setModelVersion("v1")
        .setTimings(new Timings(1L, 2L, 3L, 6L))
        .setWorkerId("w-1")
        .setProducedAt(producedAt)
        .build();
  }

  private static DeadLetter deadLetter(String id) {
    return DeadLetter.newBuilder()
        .setRequestId(id)
        .setReason(DeadLetterReason.EMPTY_TEXT)
        .setDetail("text is empty")
        .setStage("intake")
        .setSourceTopic("requests.inbound")
        .setFailedAt(T)
        .build();
  }

  private static AuditRecord audit(String id) {
    return AuditRecord.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setInputSha256("ab".repeat(32))
        .setOutputSha256("cd".repeat(32))
        .setModelName("tiny")
        .setModelVersion("v1")
        .setDecision(ComplianceDecision.APPROVED)
        .setAuditedAt(T)
        .build();
  }
}
