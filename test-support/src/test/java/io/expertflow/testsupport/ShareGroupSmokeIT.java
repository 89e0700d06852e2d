package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** Share groups (KIP-932) work on the local node: the worker's share mode depends on them. */
@WithLocalStack
class ShareGroupSmokeIT {

  private static final String GROUP = "share-smoke";
  private static final Duration DEADLINE = Duration.ofSeconds(60);

  @Test
  void shouldDeliverRecordsToAShareConsumerAndRecordItsAcknowledgements(
      LocalStack stack, TopicCatalog topics) throws Exception {
    String topic = topics.name(LogicalTopic.REQUESTS);
    TopicPartition partition = new TopicPartition(topic, 0);
    List<String> sent = List.of("r1", "r2", "r3", "r4", "r5");
    try (Admin admin = stack.newAdmin()) {
      startShareGroupAtEarliest(admin);
      produce(stack, partition, sent);

      List<String> received = consumeAndAccept(stack, topic, sent.size());

      assertThat(received).containsExactlyElementsOf(sent);
      // the group's persisted share state counts no record as pending once all are accepted
      await()
          .atMost(DEADLINE)
          .untilAsserted(
              () ->
                  assertThat(shareState(admin, partition).lag())
                      .as("records of %s not yet acknowledged", partition)
                      .contains(0L));
    }
  }

  private static SharePartitionOffsetInfo shareState(Admin admin, TopicPartition partition)
      throws Exception {
    Map<TopicPartition, SharePartitionOffsetInfo> offsets =
        admin
            .listShareGroupOffsets(Map.of(GROUP, new ListShareGroupOffsetsSpec()))
            .partitionsToOffsetInfo(GROUP)
            .get(30, TimeUnit.SECONDS);
    assertThat(offsets.get(partition)).as("share state of %s", partition).isNotNull();
    return offsets.get(partition);
  }

  private static void startShareGroupAtEarliest(Admin admin) throws Exception {
    AlterConfigOp earliest =
        new AlterConfigOp(
            new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
    admin
        .incrementalAlterConfigs(
            Map.of(new ConfigResource(ConfigResource.Type.GROUP, GROUP), List.of(earliest)))
        .all()
        .get(30, TimeUnit.SECONDS);
  }

  private static void produce(LocalStack stack, TopicPartition partition, List<String> values)
      throws Exception {
    Map<String, Object> config = new HashMap<>(stack.clientProperties());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      for (String value : values) {
        producer
            .send(new ProducerRecord<>(partition.topic(), partition.partition(), value, value))
            .get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static List<String> consumeAndAccept(LocalStack stack, String topic, int expected) {
    Map<String, Object> config = new HashMap<>(stack.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, GROUP);
    config.put("share.acknowledgement.mode", "explicit");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    List<String> received = new ArrayList<>();
    try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (received.size() < expected && System.nanoTime() < end) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
          received.add(record.value());
          consumer.acknowledge(record, AcknowledgeType.ACCEPT);
        }
        Map<TopicIdPartition, Optional<KafkaException>> results = consumer.commitSync();
        results.values().forEach(error -> assertThat(error).isEmpty());
      }
    }
    return received;
  }
}
