package io.expertflow.cli.demo;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.outcomes.Outcome;
import io.expertflow.schemas.outcomes.OutcomeReader;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.WakeupException;

/**
 * Follows {@code responses} and {@code dead-letters} through the shared {@link OutcomeReader} (
 * {@code read_committed}, from the beginning) for the whole run and keeps the first answer to every
 * request whose id starts with the run's prefix; a second answer to the same request counts as a
 * duplicate. Only dead letters of the stages that end a request (intake, worker) count as its
 * answer; feedback dead letters are counted apart.
 *
 * <p>Threading: {@link #run} reads on its own thread; the accessors may be called from any thread.
 */
public final class ResponseCollector implements Runnable, AutoCloseable {
  private final OutcomeReader reader;
  private final String requestPrefix;
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
    this.reader =
        new OutcomeReader(
            kafkaProperties,
            registry,
            false,
            new TopicNames(topicPrefix),
            OutcomeReader.From.BEGINNING);
    this.requestPrefix = requestPrefix;
  }

  @Override
  public void run() {
    try {
      while (running) {
        for (Outcome o : reader.poll(Duration.ofMillis(200))) {
          accept(o);
        }
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      reader.close();
      stopped.countDown();
    }
  }

  private void accept(Outcome o) {
    String id = o.requestId();
    if (id == null || !id.startsWith(requestPrefix)) {
      return;
    }
    if (!o.endsRequest()) {
      feedbackDeadLetters.incrementAndGet();
      return;
    }
    if (o.isDeadLetter()) {
      DeadLetter d = o.deadLetter();
      record(
          new Answer(
              id, true, d.getReason().toString(), null, null, List.of(), 0, o.readAtNanos()));
      return;
    }
    InferenceResponse resp = o.response();
    String top = resp.getLabels().isEmpty() ? null : resp.getLabels().get(0).getLabel();
    List<Integer> experts = resp.getExperts().stream().map(ExpertGate::getExpert).toList();
    record(
        new Answer(
            id,
            false,
            resp.getStatus().toString(),
            top,
            resp.getModelVersion(),
            experts,
            Math.max(0, resp.getTimings().getTotalMs()),
            o.readAtNanos()));
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
    reader.wakeup();
    try {
      if (!stopped.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the response reader did not stop within 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
