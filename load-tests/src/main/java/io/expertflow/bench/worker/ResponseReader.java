package io.expertflow.bench.worker;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.ObjLongConsumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads the responses topic {@code read_committed} from its end at construction, and counts, over
 * its lifetime, the requests answered more than once. Not thread-safe.
 */
final class ResponseReader implements AutoCloseable {
  private final KafkaConsumer<String, InferenceResponse> consumer;
  private final Set<String> seen = new HashSet<>();
  private long duplicates;

  ResponseReader(Map<String, Object> kafka, SchemaRegistryClient registry, String topic) {
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader");
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumer =
        new KafkaConsumer<>(
            c, new StringDeserializer(), new AvroDeserializer<>(registry, InferenceResponse.class));
    consumer.subscribe(List.of(topic));
    while (consumer.assignment().isEmpty()) {
      consumer.poll(Duration.ofMillis(100));
    }
    consumer.seekToEnd(consumer.assignment());
    consumer.assignment().forEach(consumer::position); // resolve "end" now, not at the next poll
  }

  /**
   * Polls once and removes every answered id from {@code waiting}, passing each newly answered
   * response to {@code onAnswer} with the wall-clock time (ms) it was read.
   */
  void poll(Collection<String> waiting, Duration timeout, ObjLongConsumer<InferenceResponse> on) {
    for (ConsumerRecord<String, InferenceResponse> r : consumer.poll(timeout)) {
      if (!seen.add(r.key())) {
        duplicates++;
      }
      if (waiting.remove(r.key())) {
        on.accept(r.value(), System.currentTimeMillis());
      }
    }
  }

  /** Reads until every id in {@code waiting} is answered or {@code timeout} passes. */
  void readAll(Collection<String> waiting, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!waiting.isEmpty() && System.nanoTime() < deadline) {
      poll(waiting, Duration.ofMillis(100), (r, at) -> {});
    }
  }

  long duplicates() {
    return duplicates;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
