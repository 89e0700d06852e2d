package io.expertflow.bench.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.outcomes.Outcome;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An open-loop client: submits requests at a fixed rate, whatever the answers do, and records each
 * request's end-to-end latency, from its {@code submitted_at} until its response is readable by a
 * read_committed reader. Not thread-safe.
 */
final class OpenLoopFeed implements AutoCloseable {
  private final KafkaProducer<String, InferenceRequest> producer;
  private final OutcomeReader reader;
  private final String topic;

  OpenLoopFeed(
      Map<String, Object> kafka, SchemaRegistryClient registry, String topic, OutcomeReader r) {
    this.producer =
        new KafkaProducer<>(kafka, new StringSerializer(), new AvroSerializer<>(registry, false));
    this.topic = topic;
    this.reader = r;
  }

  /**
   * Submits every text at {@code ratePerSecond} (0: all at once) and waits for every answer.
   *
   * @return the latency of each answered request, in ms; unanswered after {@code timeout}: lost
   */
  Result run(List<String> texts, double ratePerSecond, String name, Duration timeout) {
    Set<String> waiting = new HashSet<>();
    Histogram latency = new Histogram(3_600_000L, 3);
    long start = System.nanoTime();
    long interval = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
    int sent = 0;
    while (sent < texts.size() || !waiting.isEmpty()) {
      long now = System.nanoTime();
      while (sent < texts.size() && (interval == 0 || now - start >= sent * interval)) {
        String id = name + "-" + sent;
        waiting.add(id);
        producer.send(
            new ProducerRecord<>(
                topic,
                id,
                InferenceRequest.newBuilder()
                    .setRequestId(id)
                    .setDocumentId(id)
                    .setTenant("bench")
                    .setText(texts.get(sent))
                    .setSubmittedAt(Instant.now())
                    .build()));
        sent++;
      }
      producer.flush();
      for (Outcome o : reader.poll(Duration.ofMillis(5))) {
        if (o.response() != null && waiting.remove(o.requestId())) {
          InferenceResponse r = o.response();
          long submitted = r.getProducedAt().toEpochMilli() - r.getTimings().getTotalMs();
          latency.recordValue(Math.max(0, o.readAtMillis() - submitted));
        }
      }
      if (System.nanoTime() - start > timeout.toNanos()) {
        break;
      }
    }
    return new Result((System.nanoTime() - start) / 1e9, latency, waiting.size());
  }

  record Result(double seconds, Histogram latency, int lost) {}

  @Override
  public void close() {
    producer.close();
  }
}
