package io.expertflow.cli.chaos;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A steady open-loop load: request {@code i} is due at {@code i / rate} seconds after the start,
 * whatever the pipeline does (a slow pipeline does not slow the sender, as with real clients), each
 * with a deadline. Requests go to {@code requests.inbound} with an idempotent producer ({@code
 * acks=all}); a request counts as submitted once the brokers acknowledged it.
 *
 * <p>Threading: {@link #run} on one thread; {@link #acknowledged} drained by another.
 */
public final class OpenLoopLoad implements Runnable {

  /** A request the brokers acknowledged, with its deadline. */
  public record Submitted(String requestId, long deadlineMs) {}

  private static final String[] WORDS = {
    "invoice",
    "payment",
    "shipment",
    "contract",
    "meeting",
    "report",
    "delay",
    "refund",
    "order",
    "quality",
    "schedule",
    "review",
    "account",
    "supplier",
    "customer",
    "budget"
  };

  private final Map<String, Object> kafka;
  private final SchemaRegistryClient registry;
  private final String topic;
  private final String runId;
  private final double rate;
  private final long requests;
  private final Duration deadline;
  private final ConcurrentLinkedQueue<Submitted> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
  private volatile long sent;
  private volatile boolean stopped;

  public OpenLoopLoad(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String topic,
      String runId,
      double rate,
      long requests,
      Duration deadline) {
    this.kafka = kafka;
    this.registry = registry;
    this.topic = topic;
    this.runId = runId;
    this.rate = rate;
    this.requests = requests;
    this.deadline = deadline;
  }

  @Override
  public void run() {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 300_000);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 120_000);
    long start = System.nanoTime();
    try (KafkaProducer<String, InferenceRequest> producer =
        new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      for (long i = 0; i < requests && !stopped; i++) {
        long due = start + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        InferenceRequest request = request(i);
        long deadlineMs = request.getDeadline().toEpochMilli();
        producer.send(
            new ProducerRecord<>(topic, request.getRequestId(), request),
            (md, e) -> {
              if (e == null) {
                acknowledged.add(new Submitted(request.getRequestId(), deadlineMs));
              } else {
                failed.incrementAndGet();
                firstFailure.compareAndSet(null, e);
              }
            });
        sent = i + 1;
      }
      producer.flush();
    }
  }

  private InferenceRequest request(long i) {
    Instant now = Instant.now();
    StringBuilder text = new StringBuilder("Request ").append(i).append(':');
    for (int w = 0; w < 12; w++) {
      text.append(' ').append(WORDS[(int) ((i * 7 + w * 3) % WORDS.length)]);
    }
    return InferenceRequest.newBuilder()
        .setRequestId(runId + "-" + i)
        .setDocumentId(runId + "-doc-" + i)
        .setTenant("chaos")
        .setText(text.toString())
        .setSubmittedAt(now)
        .setDeadline(now.plus(deadline))
        .build();
  }

  /** Asks the load to stop after the request it sends now. */
  public void stop() {
    stopped = true;
  }

  public ConcurrentLinkedQueue<Submitted> acknowledged() {
    return acknowledged;
  }

  public long sent() {
    return sent;
  }

  public long failed() {
    return failed.get();
  }

  public Exception firstFailure() {
    return firstFailure.get();
  }
}
