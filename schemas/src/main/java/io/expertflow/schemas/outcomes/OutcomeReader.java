package io.expertflow.schemas.outcomes;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Everything the pipeline answered, as a downstream reader sees it: a {@code read_committed}
 * consumer over every partition of {@code responses} and {@code dead-letters} (assigned, no group),
 * from the beginning or from the end as they stand at construction. Counts each request's
 * responses, so duplicates show; keeps the first outcome that ends each request. The one reader
 * behind the demo, the benchmarks and the delivery tests.
 *
 * <p>Threading: not thread-safe; one thread polls and reads the accessors.
 */
public class OutcomeReader implements AutoCloseable {

  /** Where reading starts. */
  public enum From {
    /** Everything on the topics. */
    BEGINNING,
    /** Only what arrives after construction. */
    END
  }

  private final SchemaRegistryClient registry;
  private final boolean ownsRegistry;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<InferenceResponse> responseReader;
  private final AvroDeserializer<DeadLetter> letterReader;
  private final String responsesTopic;
  private final List<InferenceResponse> responses = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Map<String, Integer> responsesPerRequest = new HashMap<>();
  private final Map<String, Outcome> firstOutcomes = new HashMap<>();

  /**
   * @param kafka client properties (bootstrap servers and security settings)
   * @param registry the schema registry the records' schema ids resolve against
   * @param ownsRegistry whether {@link #close()} closes {@code registry} too
   */
  public OutcomeReader(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      boolean ownsRegistry,
      TopicNames topics,
      From from) {
    this.registry = registry;
    this.ownsRegistry = ownsRegistry;
    this.responseReader = new AvroDeserializer<>(registry, InferenceResponse.class);
    this.letterReader = new AvroDeserializer<>(registry, DeadLetter.class);
    this.responsesTopic = topics.responses();
    Map<String, Object> props = new HashMap<>(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(responsesTopic, topics.deadLetters())) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    if (from == From.BEGINNING) {
      consumer.seekToBeginning(partitions);
    } else {
      consumer.seekToEnd(partitions);
      partitions.forEach(consumer::position); // resolve "end" now, not at the first poll
    }
  }

  /** Reads what arrived since the last call, waiting at most {@code timeout}; returns it. */
  public List<Outcome> poll(Duration timeout) {
    List<Outcome> read = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(timeout)) {
      if (r.value() == null) {
        continue; // a tombstone answers nothing
      }
      long millis = System.currentTimeMillis();
      long nanos = System.nanoTime();
      Outcome outcome;
      if (r.topic().equals(responsesTopic)) {
        InferenceResponse response = responseReader.deserialize(r.topic(), r.value());
        responses.add(response);
        responsesPerRequest.merge(response.getRequestId(), 1, Integer::sum);
        outcome = new Outcome(response.getRequestId(), response, null, millis, nanos);
      } else {
        DeadLetter letter = letterReader.deserialize(r.topic(), r.value());
        deadLetters.add(letter);
        outcome = new Outcome(letter.getRequestId(), null, letter, millis, nanos);
      }
      if (outcome.requestId() != null && outcome.endsRequest()) {
        firstOutcomes.putIfAbsent(outcome.requestId(), outcome);
      }
      read.add(outcome);
    }
    return read;
  }

  /**
   * Reads up to the end of every partition as it stands now. For a read_committed reader the end is
   * the last stable offset, so call it once the writers are stopped to see everything.
   *
   * @throws IllegalStateException when the end is not reached within {@code timeout}
   */
  public void readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(end)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "could not read to the end offsets " + end + " within " + timeout);
      }
      poll(Duration.ofMillis(200));
    }
  }

  /**
   * Reads until every one of {@code requestIds} has an outcome that ends it, or {@code timeout}
   * passes.
   *
   * @return whether every request was answered in time
   */
  public boolean readUntilAnswered(Collection<String> requestIds, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!firstOutcomes.keySet().containsAll(requestIds)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      poll(Duration.ofMillis(100));
    }
    return true;
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** The first outcome that ended {@code requestId}, or null. */
  public Outcome first(String requestId) {
    return firstOutcomes.get(requestId);
  }

  /** Distinct request ids that got a response. */
  public int answered() {
    return responsesPerRequest.size();
  }

  public List<InferenceResponse> responses() {
    return responses;
  }

  public List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** Request ids answered more than once, with their counts. */
  public Map<String, Integer> duplicates() {
    return new TreeMap<>(
        responsesPerRequest.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** Which of {@code expected} got no response. */
  public Set<String> unanswered(Collection<String> expected) {
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(responsesPerRequest.keySet());
    return missing;
  }

  /** Responses per worker id. */
  public Map<String, Long> byWorker() {
    return new TreeMap<>(
        responses.stream()
            .collect(
                Collectors.groupingBy(r -> r.getWorkerId().toString(), Collectors.counting())));
  }

  /** Wakes a {@link #poll} blocked on another thread; it then returns early. */
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close() {
    consumer.close(Duration.ofSeconds(5));
    if (ownsRegistry) {
      registry.close();
    }
  }
}
