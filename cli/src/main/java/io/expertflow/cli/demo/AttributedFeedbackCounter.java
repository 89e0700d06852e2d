package io.expertflow.cli.demo;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Waits until the streams app has attributed a batch of feedback: counts committed {@code
 * feedback.attributed} records whose feedback id starts with a prefix. The window must not be
 * closed before, or feedback still in flight on one partition would arrive after stream time passed
 * the window's end and be dropped as late.
 */
final class AttributedFeedbackCounter {
  private final Map<String, Object> props;
  private final SchemaRegistryClient registry;
  private final String topic;
  private final String feedbackPrefix;

  AttributedFeedbackCounter(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String topicPrefix,
      String feedbackPrefix) {
    this.props = new HashMap<>(kafka);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    this.registry = registry;
    this.topic = new TopicNames(topicPrefix).feedbackAttributed();
    this.feedbackPrefix = feedbackPrefix;
  }

  /** Returns once {@code expected} records arrived; throws after {@code timeout}. */
  void await(int expected, Duration timeout, Runnable healthCheck) {
    AvroDeserializer<AttributedFeedback> reader =
        new AvroDeserializer<>(registry, AttributedFeedback.class);
    long deadline = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .collect(Collectors.toList());
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (seen < expected) {
        healthCheck.run();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "only "
                  + seen
                  + " of "
                  + expected
                  + " attributed feedback records arrived within "
                  + timeout
                  + "; the feedback topology may be behind or have dead-lettered feedback");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.value() != null
              && reader
                  .deserialize(r.topic(), r.value())
                  .getFeedbackId()
                  .startsWith(feedbackPrefix)) {
            seen++;
          }
        }
      }
    }
  }
}
