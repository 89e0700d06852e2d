package io.expertflow.cli.demo;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * What the demo's users send: documents to {@code requests.inbound} (the streams app validates them
 * and forwards them to the workers) and feedback to {@code feedback}, both keyed by request id, as
 * any client would. Every send is acknowledged before a method returns; a failed send throws. Not
 * thread-safe.
 */
public final class TrafficSender {
  private final Map<String, Object> kafka;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;

  public TrafficSender(Map<String, Object> kafka, SchemaRegistryClient registry, String prefix) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = new TopicNames(prefix);
  }

  /** A request of the demo tenant. */
  public static InferenceRequest request(String requestId, DemoDocument d) {
    return InferenceRequest.newBuilder()
        .setRequestId(requestId)
        .setDocumentId(d.id())
        .setTenant("demo")
        .setText(d.text())
        .setSubmittedAt(Instant.now())
        .build();
  }

  /** Sends {@code requests} to {@code requests.inbound}. */
  public void requests(List<InferenceRequest> requests) {
    send(topics.requestsInbound(), requests, InferenceRequest::getRequestId);
  }

  /** Sends {@code events} to {@code feedback}. */
  public void feedback(List<FeedbackEvent> events) {
    send(topics.feedback(), events, FeedbackEvent::getRequestId);
  }

  private <T extends org.apache.avro.specific.SpecificRecord> void send(
      String topic, List<T> records, java.util.function.Function<T, String> key) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 10);
    ConcurrentLinkedQueue<Exception> errors = new ConcurrentLinkedQueue<>();
    try (KafkaProducer<String, T> producer =
        new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<T>(registry, false))) {
      for (T r : records) {
        producer.send(
            new ProducerRecord<>(topic, key.apply(r), r),
            (md, e) -> {
              if (e != null) {
                errors.add(e);
              }
            });
      }
      producer.flush();
    }
    if (!errors.isEmpty()) {
      Exception e = errors.peek();
      throw new IllegalStateException(
          errors.size() + " of " + records.size() + " sends to " + topic + " failed: " + e, e);
    }
  }
}
