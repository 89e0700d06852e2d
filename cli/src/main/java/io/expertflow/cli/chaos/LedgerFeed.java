package io.expertflow.cli.chaos;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Fills an {@link OutcomeLedger} from the pipeline's topics as a downstream reader sees them: a
 * {@code read_committed} consumer over every partition of {@code responses}, {@code dead-letters}
 * and {@code audit} (assigned, no group), from the beginning up to the end offsets as they stand
 * when reading starts. Read once the load is over and the writers have stopped, so the end is the
 * last committed record. A record that does not decode is counted, never thrown.
 *
 * <p>Not thread-safe; one call at a time.
 */
public final class LedgerFeed {

  /** What was read: records per kind, and those that did not decode. */
  public record Read(long responses, long deadLetters, long audits, long undecodable) {}

  private LedgerFeed() {}

  /**
   * Reads the three topics into {@code ledger}.
   *
   * @param kafka client properties: bootstrap servers and security settings
   * @throws IllegalStateException when the end offsets are not reached within {@code timeout}
   */
  public static Read readInto(
      OutcomeLedger ledger,
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration timeout) {
    AvroDeserializer<InferenceResponse> responses =
        new AvroDeserializer<>(registry, InferenceResponse.class);
    AvroDeserializer<DeadLetter> letters = new AvroDeserializer<>(registry, DeadLetter.class);
    AvroDeserializer<AuditRecord> audits = new AvroDeserializer<>(registry, AuditRecord.class);
    long[] counts = new long[4];
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(
            consumerConfig(kafka), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      for (String topic : List.of(topics.responses(), topics.deadLetters(), topics.audit())) {
        consumer
            .partitionsFor(topic)
            .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      }
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "could not read the outcome topics to their end offsets "
                  + end
                  + " within "
                  + timeout);
        }
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() == null) {
            continue; // a tombstone records nothing
          }
          try {
            if (r.topic().equals(topics.responses())) {
              ledger.response(responses.deserialize(r.topic(), r.value()));
              counts[0]++;
            } else if (r.topic().equals(topics.deadLetters())) {
              ledger.deadLetter(letters.deserialize(r.topic(), r.value()));
              counts[1]++;
            } else {
              ledger.audit(audits.deserialize(r.topic(), r.value()));
              counts[2]++;
            }
          } catch (WireFormatException e) {
            counts[3]++;
          }
        }
      }
    }
    return new Read(counts[0], counts[1], counts[2], counts[3]);
  }

  private static Map<String, Object> consumerConfig(Map<String, Object> kafka) {
    Map<String, Object> props = new HashMap<>(kafka);
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5_000);
    return props;
  }
}
