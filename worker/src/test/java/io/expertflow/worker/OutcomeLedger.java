package io.expertflow.worker;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
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
 * Everything the workers delivered, as a downstream reader sees it: a {@code read_committed}
 * consumer over every partition of {@code responses} and {@code dead-letters}, read from the
 * beginning. Counts each request id's responses, so duplicates show. One test thread.
 */
final class OutcomeLedger implements AutoCloseable {
  private final SchemaRegistryClient registry;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final AvroDeserializer<InferenceResponse> responseReader;
  private final AvroDeserializer<DeadLetter> letterReader;
  private final String responsesTopic;
  private final List<InferenceResponse> responses = new ArrayList<>();
  private final List<DeadLetter> deadLetters = new ArrayList<>();
  private final Map<String, Integer> responsesPerRequest = new HashMap<>();

  OutcomeLedger(LocalStack stack, TopicCatalog topics) {
    this.registry = stack.registryClient();
    this.responseReader = new AvroDeserializer<>(registry, InferenceResponse.class);
    this.letterReader = new AvroDeserializer<>(registry, DeadLetter.class);
    this.responsesTopic = topics.name(LogicalTopic.RESPONSES);
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    this.consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    List<TopicPartition> partitions = new ArrayList<>();
    for (String topic : List.of(responsesTopic, topics.name(LogicalTopic.DEAD_LETTERS))) {
      consumer
          .partitionsFor(topic)
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
    }
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
  }

  /** Reads what arrived since the last call (waits at most 200 ms); returns this ledger. */
  OutcomeLedger poll() {
    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
      if (r.topic().equals(responsesTopic)) {
        InferenceResponse response = responseReader.deserialize(r.topic(), r.value());
        responses.add(response);
        responsesPerRequest.merge(response.getRequestId(), 1, Integer::sum);
      } else {
        deadLetters.add(letterReader.deserialize(r.topic(), r.value()));
      }
    }
    return this;
  }

  /**
   * Reads up to the end of every partition as it stands now. For a read_committed reader the end is
   * the last stable offset, so call it once the workers are stopped to see everything.
   */
  void readToEnd(Duration timeout) {
    Map<TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!reached(end)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("could not read to the end offsets " + end + " in " + timeout);
      }
      poll();
    }
  }

  private boolean reached(Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  /** Distinct request ids that got a response. */
  int answered() {
    return responsesPerRequest.size();
  }

  List<InferenceResponse> responses() {
    return responses;
  }

  List<DeadLetter> deadLetters() {
    return deadLetters;
  }

  /** Request ids answered more than once, with their counts. */
  Map<String, Integer> duplicates() {
    return new TreeMap<>(
        responsesPerRequest.entrySet().stream()
            .filter(e -> e.getValue() > 1)
            .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
  }

  /** Which of {@code expected} got no response. */
  Set<String> unanswered(Collection<String> expected) {
    Set<String> missing = new LinkedHashSet<>(expected);
    missing.removeAll(responsesPerRequest.keySet());
    return missing;
  }

  /** Responses per worker id. */
  Map<String, Long> byWorker() {
    return new TreeMap<>(
        responses.stream()
            .collect(
                Collectors.groupingBy(r -> r.getWorkerId().toString(), Collectors.counting())));
  }

  @Override
  public void close() {
    consumer.close();
    registry.close();
  }
}
