package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.CompatibilityLevel;
import io.expertflow.schemas.registry.IncompatibleSchemaException;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.serde.Subjects;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** The data contracts on the real broker and the real schema registry. */
@WithLocalStack
class WireFormatOnRealStackIT {

  @Test
  void shouldDeliverTenThousandTransactionalRequestsAcrossThreePartitionsExactlyOnce(
      LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("wire-format");
    String topic = topics.name(LogicalTopic.REQUESTS_INBOUND);
    int count = 10_000;
    ConcurrentLinkedQueue<Exception> sendErrors = new ConcurrentLinkedQueue<>();
    Map<String, Object> producerProps = new HashMap<>(stack.clientProperties());
    producerProps.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "wire-format-" + UUID.randomUUID());
    producerProps.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    try (SchemaRegistryClient registry = stack.registryClient();
        KafkaProducer<String, InferenceRequest> producer =
            new KafkaProducer<>(
                producerProps, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      producer.initTransactions();
      for (int batch = 0; batch < count / 1000; batch++) {
        producer.beginTransaction();
        for (int i = batch * 1000; i < (batch + 1) * 1000; i++) {
          InferenceRequest r = request("req-" + i);
          producer.send(
              new ProducerRecord<>(topic, r.getRequestId(), r),
              (md, e) -> {
                if (e != null) {
                  sendErrors.add(e);
                }
              });
        }
        producer.commitTransaction();
      }
      // an aborted transaction must stay invisible to read_committed readers
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "aborted", request("aborted")));
      producer.flush();
      producer.abortTransaction();
    }
    assertThat(sendErrors).isEmpty();

    // a consumer that knows only the registry URL decodes what we wrote, as generic records
    Map<String, Object> consumerProps = new HashMap<>(stack.clientProperties());
    consumerProps.put(ConsumerConfig.GROUP_ID_CONFIG, "wire-format-reader");
    consumerProps.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerProps.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerProps.put("schema.registry.url", stack.schemaRegistryUrl());
    Set<String> ids = new HashSet<>();
    Set<Integer> partitions = new HashSet<>();
    int records = 0;
    AvroDeserializer<GenericRecord> generic = new AvroDeserializer<>();
    generic.configure(consumerProps, false);
    try (KafkaConsumer<String, GenericRecord> consumer =
        new KafkaConsumer<>(consumerProps, new StringDeserializer(), generic)) {
      consumer.subscribe(List.of(topic));
      long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
      while (ids.size() < count && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofMillis(500))) {
          records++;
          ids.add(r.value().get("request_id").toString());
          partitions.add(r.partition());
          assertThat(r.value().get("document_id").toString())
              .isEqualTo("doc-" + r.value().get("request_id"));
        }
      }
      // nothing more arrives: the aborted record stays hidden
      for (ConsumerRecord<String, GenericRecord> r : consumer.poll(Duration.ofSeconds(1))) {
        records++;
        ids.add(r.value().get("request_id").toString());
      }
    }
    assertThat(records).isEqualTo(count);
    assertThat(ids).hasSize(count).doesNotContain("aborted");
    assertThat(partitions).containsExactlyInAnyOrder(0, 1, 2);
  }

  @Test
  void shouldRejectAnIncompatibleChangeAtTheRegistryNamingTheField(LocalStack stack) {
    try (SchemaRegistryClient registry = stack.registryClient()) {
      String subject = Subjects.subject("compat-" + UUID.randomUUID(), false);
      Schema v1 = SchemaBuilder.record("Doc").fields().requiredString("id").endRecord();
      Schema v2 =
          SchemaBuilder.record("Doc").fields().requiredString("id").requiredInt("tier").endRecord();
      registry.register(subject, v1);

      assertThat(registry.compatibility(null)).isEqualTo(CompatibilityLevel.BACKWARD);
      assertThat(registry.testCompatibility(subject, v2).compatible()).isFalse();
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> registry.register(subject, v2))
          .isInstanceOf(IncompatibleSchemaException.class)
          .hasMessageContaining("409");
    }
  }

  private static InferenceRequest request(String id) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setText("text of " + id)
        .setSubmittedAt(Instant.now())
        .build();
  }
}
