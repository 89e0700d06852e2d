package io.expertflow.worker;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * TEST fixture for the delivery loops on Kafka's mock clients: an in-memory schema registry that
 * can go down ({@link SwitchableRegistry}), a {@link RegistryOutage} with short backoffs, a {@link
 * MockProducer} that completes each send at once, the {@link ScriptedProcessor}, requests in the
 * wire format, and the outcomes read back from what the producer wrote (committed only, in a
 * transaction).
 */
final class MockDelivery {
  static final String WORKER = "w-mock";

  final InMemorySchemaRegistryClient schemas = new InMemorySchemaRegistryClient();
  final SwitchableRegistry registry = new SwitchableRegistry(schemas);
  final RegistryOutage outage =
      new RegistryOutage(WORKER, System::nanoTime, Duration.ofMillis(20), Duration.ofMillis(100));
  final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
  final ScriptedProcessor processor = new ScriptedProcessor();
  final WorkerConfig config;
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  /**
   * @param mode the delivery mode; the worker's {@code kafka.*} overrides name SASL_SSL security
   */
  MockDelivery(String mode) {
    Map<String, String> p = new HashMap<>();
    p.put("worker.id", WORKER);
    p.put("delivery.mode", mode);
    p.put("topic.prefix", "mock.");
    p.put("group.id", "mock-workers");
    p.put("share.delivery.limit", "3");
    p.put("drain.timeout.ms", "1000");
    p.put("commit.interval.ms", "10");
    p.put("kafka.security.protocol", "SASL_SSL");
    p.put("kafka.sasl.mechanism", "PLAIN");
    p.put("kafka.sasl.jaas.config", "test-jaas-config");
    this.config = WorkerConfig.fromProperties(p);
  }

  String requests() {
    return config.topic("requests");
  }

  /** A record of {@code requests} holding {@code request}, delivered {@code deliveries} times. */
  ConsumerRecord<byte[], byte[]> record(
      int partition, long offset, InferenceRequest request, int deliveries) {
    byte[] value =
        new AvroSerializer<InferenceRequest>(schemas, false).serialize(requests(), request);
    return raw(partition, offset, "doc-" + request.getRequestId(), value, deliveries);
  }

  /** A record of {@code requests} with {@code value} as it is (null: a tombstone). */
  ConsumerRecord<byte[], byte[]> raw(
      int partition, long offset, String key, byte[] value, int deliveries) {
    return new ConsumerRecord<>(
        requests(),
        partition,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        key.length(),
        value == null ? -1 : value.length,
        key.getBytes(StandardCharsets.UTF_8),
        value,
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) deliveries));
  }

  /** Responses the producer wrote (in a transaction: those committed). */
  List<InferenceResponse> responses() {
    AvroDeserializer<InferenceResponse> d =
        new AvroDeserializer<>(schemas, InferenceResponse.class);
    return written(config.topic("responses")).stream()
        .map(r -> d.deserialize(r.topic(), r.value()))
        .toList();
  }

  /** Dead letters the producer wrote (in a transaction: those committed). */
  List<DeadLetter> deadLetters() {
    AvroDeserializer<DeadLetter> d = new AvroDeserializer<>(schemas, DeadLetter.class);
    return written(config.topic("dead-letters")).stream()
        .map(r -> d.deserialize(r.topic(), r.value()))
        .toList();
  }

  private List<ProducerRecord<byte[], byte[]>> written(String topic) {
    return producer.history().stream().filter(r -> r.topic().equals(topic)).toList();
  }

  /** Runs {@code loop} on a thread of its own; what ended it is kept for {@link #failure()}. */
  Thread start(Runnable loop) {
    Thread t =
        new Thread(
            () -> {
              try {
                loop.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "mock-delivery-loop");
    t.start();
    return t;
  }

  /** What ended the loop with an exception, if anything did. */
  Optional<Throwable> failure() {
    return Optional.ofNullable(failure.get());
  }
}
