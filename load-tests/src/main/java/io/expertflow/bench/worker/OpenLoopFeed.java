package io.expertflow.bench.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.outcomes.Outcome;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * An open-loop client: submits requests at a fixed mean rate, whatever the answers do, with
 * exponentially distributed gaps (Poisson arrivals, seeded) or all at once, and records each
 * request's end-to-end latency from its <em>intended</em> send time until its response is readable
 * by a read_committed reader. Measuring from the schedule, not from when the send happened, keeps a
 * stalled client from hiding the stall (no coordinated omission). Not thread-safe.
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
   * Submits {@code count} requests, cycling through {@code texts}, at a mean of {@code
   * ratePerSecond} (0: all at once) and waits for every answer.
   *
   * @return the latency of each answered request, in ms; unanswered after {@code timeout}: lost
   */
  Result run(List<String> texts, int count, double ratePerSecond, String name, Duration timeout) {
    Map<String, Long> intended = new HashMap<>();
    Histogram latency = new Histogram(3_600_000L, 3);
    Random gaps = new Random(name.hashCode());
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    double nextAt = 0; // ns after start
    long lastAnswer = startNanos;
    int sent = 0;
    while (sent < count || !intended.isEmpty()) {
      long now = System.nanoTime() - startNanos;
      while (sent < count && (ratePerSecond <= 0 || now >= nextAt)) {
        String id = name + "-" + sent;
        intended.put(id, startMillis + (long) (nextAt / 1e6));
        producer.send(
            new ProducerRecord<>(
                topic,
                id,
                InferenceRequest.newBuilder()
                    .setRequestId(id)
                    .setDocumentId(id)
                    .setTenant("bench")
                    .setText(texts.get(sent % texts.size()))
                    .setSubmittedAt(Instant.ofEpochMilli(startMillis + (long) (nextAt / 1e6)))
                    .build()));
        sent++;
        if (ratePerSecond > 0) {
          nextAt += -Math.log(1 - gaps.nextDouble()) / ratePerSecond * 1e9;
        }
      }
      producer.flush();
      for (Outcome o : reader.poll(Duration.ofMillis(5))) {
        Long at = o.response() != null ? intended.remove(o.requestId()) : null;
        if (at != null) {
          latency.recordValue(Math.max(0, o.readAtMillis() - at));
          lastAnswer = System.nanoTime();
        }
      }
      if (System.nanoTime() - startNanos > timeout.toNanos()) {
        break;
      }
    }
    return new Result(
        (lastAnswer - startNanos) / 1e9, nextAt / 1e9, sent, latency, intended.size());
  }

  /**
   * @param seconds from the first send until the last answer
   * @param sendSeconds the schedule's length: the last intended send time
   * @param sent requests submitted
   * @param latency end-to-end latency from the intended send time, ms
   * @param lost requests not answered within the timeout
   */
  record Result(double seconds, double sendSeconds, int sent, Histogram latency, int lost) {
    /** The arrival rate achieved: requests over the schedule's length. */
    double offeredPerSecond() {
      return sendSeconds > 0 ? sent / sendSeconds : Double.NaN;
    }

    /** Answers per second, from the first send to the last answer. */
    double answeredPerSecond() {
      return (sent - lost) / seconds;
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
