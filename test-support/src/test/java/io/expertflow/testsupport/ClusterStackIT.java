package io.expertflow.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The opt-in three-node stack ({@code -Dexpertflow.test.brokers=3}); the build runs this class in a
 * JVM of its own with that property, so every other test keeps its single broker.
 */
@WithLocalStack
@Tag("three-node")
@EnabledIfSystemProperty(named = LocalStack.BROKERS_PROPERTY, matches = "3")
class ClusterStackIT {

  @Test
  void shouldRunThreeNodesAndReplicateTheDefaultTopicsThreeTimesWithMinIsrTwo(LocalStack stack)
      throws Exception {
    assertThat(stack.brokers()).isEqualTo(3);
    assertThat(stack.bootstrapServers().split(",")).hasSize(3);
    assertThat(stack.cluster()).isPresent();
    assertThatThrownBy(stack::broker)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining(LocalStack.BROKERS_PROPERTY);
    try (Admin admin = stack.newAdmin()) {
      List<String> names = stack.topics().specs().stream().map(TopicSpec::name).toList();
      Map<String, TopicDescription> topics = admin.describeTopics(names).allTopicNames().get();
      assertThat(topics.values())
          .flatExtracting(TopicDescription::partitions)
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      String requests = stack.topics().name(LogicalTopic.REQUESTS);
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, requests);
      assertThat(
              admin
                  .describeConfigs(List.of(resource))
                  .all()
                  .get()
                  .get(resource)
                  .get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG)
                  .value())
          .isEqualTo("2");
    }
  }

  @Test
  void shouldCommitTransactionsWithOneNodeDownAndTakeItBackWithItsData(
      LocalStack stack, TopicCatalog topics) throws Exception {
    LocalKafkaCluster cluster = stack.cluster().orElseThrow();
    String topic = topics.name(LogicalTopic.REQUESTS);
    produceInTransaction(stack, topic, List.of("before-1", "before-2"));

    cluster.stop(2);
    try {
      produceInTransaction(stack, topic, List.of("node-2-down"));
    } finally {
      cluster.start(2);
    }

    assertThat(cluster.node(2).isRunning()).isTrue();
    assertThat(readCommitted(stack, topic, 3))
        .containsExactlyInAnyOrder("before-1", "before-2", "node-2-down");
  }

  private static void produceInTransaction(LocalStack stack, String topic, List<String> values)
      throws Exception {
    Map<String, Object> config = new HashMap<>(stack.clientProperties());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "cluster-stack-" + UUID.randomUUID());
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(config, new StringSerializer(), new StringSerializer())) {
      producer.initTransactions();
      producer.beginTransaction();
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value)).get(60, TimeUnit.SECONDS);
      }
      producer.commitTransaction();
    }
  }

  private static List<String> readCommitted(LocalStack stack, String topic, int expected) {
    Map<String, Object> config = new HashMap<>(stack.clientProperties());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "cluster-stack-" + UUID.randomUUID());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(r -> values.add(r.value()));
                return values.size() >= expected;
              });
    }
    return values;
  }
}
