package io.expertflow.cli.chaos;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
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
 * with a deadline and priority 0. While a {@link #burst} lasts the sender sends at {@link
 * Burst#factor} times the rate ({@link LoadShape}), and each request it sends meanwhile is a burst
 * request: a share {@link Burst#highShare} at priority {@value #HIGH_PRIORITY} with the usual
 * deadline, the others at priority {@value #LOW_PRIORITY} with {@link Burst#lowDeadline}. Requests
 * go to {@code requests.inbound} with an idempotent producer ({@code acks=all}); a request counts
 * as submitted once the brokers acknowledged it.
 *
 * <p>Threading: {@link #run} on one thread; {@link #acknowledged} drained by another; {@link
 * #burst} from any thread.
 */
public final class OpenLoopLoad implements Runnable {

  /** Priority of the high-priority share of a burst (the highest lane). */
  public static final int HIGH_PRIORITY = 9;

  /** Priority of the other burst requests and of every request outside bursts. */
  public static final int LOW_PRIORITY = 0;

  /**
   * A request the brokers acknowledged, with its deadline, when it was sent ({@link
   * System#nanoTime}), its priority and whether it was sent in a burst.
   */
  public record Submitted(
      String requestId, long deadlineMs, long sentNanos, int priority, boolean burst) {}

  /**
   * How a burst loads the pipeline.
   *
   * @param factor the sender's rate in a burst as a multiple of the steady rate
   * @param highShare share of the burst requests sent at {@link #HIGH_PRIORITY}
   * @param lowDeadline deadline of the other burst requests, after their submission
   */
  public record Burst(double factor, double highShare, Duration lowDeadline) {
    public Burst {
      if (factor < 1 || highShare < 0 || highShare > 1 || lowDeadline.isNegative()) {
        throw new IllegalArgumentException(
            "a burst needs a factor of 1 or more, a high share in [0, 1] and a deadline of 0 or"
                + " more; got "
                + factor
                + ", "
                + highShare
                + ", "
                + lowDeadline);
      }
    }
  }

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
  private final Duration deadline;
  private final Burst burst;
  private final LoadShape shape;
  private final AtomicLong burstRequests = new AtomicLong();
  private volatile long startNanos;
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
    this(kafka, registry, topic, runId, rate, requests, deadline, new Burst(1, 0, deadline));
  }

  /** A load that may be told to {@link #burst}, as {@code burst} says. */
  public OpenLoopLoad(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String topic,
      String runId,
      double rate,
      long requests,
      Duration deadline,
      Burst burst) {
    this.kafka = kafka;
    this.registry = registry;
    this.topic = topic;
    this.runId = runId;
    this.deadline = deadline;
    this.burst = burst;
    this.shape = new LoadShape(rate, requests);
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
    startNanos = start;
    try (KafkaProducer<String, InferenceRequest> producer =
        new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(registry, false))) {
      long i = 0;
      for (Optional<LoadShape.Due> next = shape.next();
          next.isPresent() && !stopped;
          next = shape.next(), i++) {
        long wait = start + next.get().atNanos() - System.nanoTime();
        if (wait > 0) {
          try {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            break;
          }
        }
        int priority = LOW_PRIORITY;
        Duration timeLeft = deadline;
        if (next.get().burst()) {
          boolean high = LoadShape.isHigh(burstRequests.getAndIncrement(), burst.highShare());
          priority = high ? HIGH_PRIORITY : LOW_PRIORITY;
          timeLeft = high ? deadline : burst.lowDeadline();
        }
        InferenceRequest request = request(i, priority, timeLeft);
        long deadlineMs = request.getDeadline().toEpochMilli();
        long sentNanos = System.nanoTime();
        boolean inBurst = next.get().burst();
        producer.send(
            new ProducerRecord<>(topic, request.getRequestId(), request),
            (md, e) -> {
              if (e == null) {
                acknowledged.add(
                    new Submitted(
                        request.getRequestId(),
                        deadlineMs,
                        sentNanos,
                        request.getPriority(),
                        inBurst));
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

  /**
   * Sends at {@link Burst#factor} times the rate for {@code length} from now, with mixed
   * priorities.
   *
   * @return false when the load is over or not started (no burst then)
   */
  public boolean burst(Duration length) {
    long start = startNanos;
    return start != 0 && shape.burst(System.nanoTime() - start, length.toNanos(), burst.factor());
  }

  private InferenceRequest request(long i, int priority, Duration timeLeft) {
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
        .setPriority(priority)
        .setSubmittedAt(now)
        .setDeadline(now.plus(timeLeft))
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

  /** Requests sent in bursts so far. */
  public long burstRequests() {
    return burstRequests.get();
  }

  public long failed() {
    return failed.get();
  }

  public Exception firstFailure() {
    return firstFailure.get();
  }
}
