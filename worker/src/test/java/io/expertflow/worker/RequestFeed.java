package io.expertflow.worker;

import static org.assertj.core.api.Assertions.fail;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Produces requests to {@code <prefix>requests} as clients (or intake) would: key = document id,
 * value in the Confluent wire format. Every send is checked by {@link #flush()}. One test thread.
 */
final class RequestFeed implements AutoCloseable {
  private final SchemaRegistryClient registry;
  private final AvroSerializer<InferenceRequest> serializer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final String topic;
  private final List<Future<RecordMetadata>> sends = new ArrayList<>();

  RequestFeed(LocalStack stack, TopicCatalog topics) {
    this.registry = stack.registryClient();
    this.serializer = new AvroSerializer<>(registry, false);
    this.topic = topics.name(LogicalTopic.REQUESTS);
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
  }

  String topic() {
    return topic;
  }

  void send(InferenceRequest request) {
    send(null, request);
  }

  void send(Integer partition, InferenceRequest request) {
    sendRaw(partition, request.getDocumentId(), serializer.serialize(topic, request));
  }

  /** Sends bytes as they are: for records that are not valid requests. */
  void sendRaw(Integer partition, String key, byte[] value) {
    sends.add(
        producer.send(
            new ProducerRecord<>(
                topic,
                partition,
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value)));
  }

  /** Waits until the broker acknowledged every record sent so far; fails the test on any error. */
  void flush() {
    producer.flush();
    for (Future<RecordMetadata> send : sends) {
      try {
        send.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        fail("a request could not be produced: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        fail("interrupted while producing", e);
      }
    }
    sends.clear();
  }

  @Override
  public void close() {
    producer.close();
    registry.close();
  }
}
