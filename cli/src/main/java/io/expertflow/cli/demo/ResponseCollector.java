package io.expertflow.cli.demo;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code responses} and {@code dead-letters} ({@code read_committed}, from the beginning) for
 * the whole run and keeps the first answer to every request whose id starts with the run's prefix;
 * a second answer to the same request counts as a duplicate. Only dead letters of the stages that
 * end a request (intake, worker) count as its answer; feedback dead letters are counted apart.
 *
 * <p>Threading: {@link #run} reads on its own thread; the accessors may be called from any thread.
 */
public final class ResponseCollector implements Runnable, AutoCloseable {
  private static final Set<String> REQUEST_STAGES = Set.of("intake", "worker");

  private final KafkaConsumer<String, byte[]> consumer;
  private final String responses;
  private final String deadLetters;
  private final String requestPrefix;
  private final AvroDeserializer<InferenceResponse> responseReader;
  private final AvroDeserializer<DeadLetter> deadLetterReader;
  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final AtomicLong duplicates = new AtomicLong();
  private final AtomicLong feedbackDeadLetters = new AtomicLong();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;

  public ResponseCollector(
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      String topicPrefix,
      String requestPrefix) {
    Map<String, Object> p = new HashMap<>(kafkaProperties);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "expertflow-demo-reader-" + requestPrefix);
    this.consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    this.responses = topicPrefix + "responses";
    this.deadLetters = topicPrefix + "dead-letters";
    this.requestPrefix = requestPrefix;
    this.responseReader = new AvroDeserializer<>(registry, InferenceResponse.class);
    this.deadLetterReader = new AvroDeserializer<>(registry, DeadLetter.class);
  }

  @Override
  public void run() {
    try {
      consumer.subscribe(List.of(responses, deadLetters));
      while (running) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          accept(r);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(5));
      stopped.countDown();
    }
  }

  private void accept(ConsumerRecord<String, byte[]> r) {
    if (r.value() == null) {
      return;
    }
    long now = System.nanoTime();
    if (r.topic().equals(responses)) {
      if (r.key() == null || !r.key().startsWith(requestPrefix)) {
        return;
      }
      InferenceResponse resp = responseReader.deserialize(r.topic(), r.value());
      String top = resp.getLabels().isEmpty() ? null : resp.getLabels().get(0).getLabel();
      List<Integer> experts = resp.getExperts().stream().map(ExpertGate::getExpert).toList();
      record(
          new Answer(
              resp.getRequestId(),
              false,
              resp.getStatus().toString(),
              top,
              resp.getModelVersion(),
              experts,
              Math.max(0, resp.getTimings().getTotalMs()),
              now));
    } else {
      DeadLetter d = deadLetterReader.deserialize(r.topic(), r.value());
      String id = d.getRequestId();
      if (id == null || !id.startsWith(requestPrefix)) {
        return;
      }
      if (!REQUEST_STAGES.contains(d.getStage())) {
        feedbackDeadLetters.incrementAndGet();
        return;
      }
      record(new Answer(id, true, d.getReason().toString(), null, null, List.of(), 0, now));
    }
  }

  private void record(Answer a) {
    if (answers.putIfAbsent(a.requestId(), a) != null) {
      duplicates.incrementAndGet();
    }
  }

  /** The first answer to a request, or null. */
  public Answer answer(String requestId) {
    return answers.get(requestId);
  }

  /** Every answer so far (first answers only). */
  public java.util.Collection<Answer> answers() {
    return java.util.List.copyOf(answers.values());
  }

  /** How many of {@code requestIds} have an answer. */
  public int answered(List<String> requestIds) {
    int n = 0;
    for (String id : requestIds) {
      if (answers.containsKey(id)) {
        n++;
      }
    }
    return n;
  }

  /** Second and later answers to a request, over the run. */
  public long duplicates() {
    return duplicates.get();
  }

  /** Dead letters of the feedback stage (unmatched or invalid feedback), over the run. */
  public long feedbackDeadLetters() {
    return feedbackDeadLetters.get();
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the response reader did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
