package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import io.expertflow.schemas.topics.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real KRaft nodes: the pipeline's topics get three replicas and min ISR 2, and a
 * transactional producer loses and duplicates nothing while the node leading its partitions is
 * killed with SIGKILL and started again.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalKafkaClusterIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration POLL = Duration.ofMillis(50);
  private static final int KEYS = 40;
  private static final int RECORDS_PER_TRANSACTION = 50;
  private static final int RECORDS_PER_PHASE = 1_000;

  /**
   * With {@code -Dexpertflow.cluster-it.kill-controller=true} the killed node is the active
   * controller (when it leads a partition of the topic), to measure a leader move that waits on a
   * controller election too.
   */
  private static final String KILL_CONTROLLER_PROPERTY = "expertflow.cluster-it.kill-controller";

  private static LocalKafkaCluster cluster;
  private static TopicCatalog catalog;

  @BeforeAll
  static void startCluster() {
    cluster = LocalKafkaCluster.start(3, LocalKafkaBrokerConfig.defaults());
    System.out.printf(
        "Kafka cluster of 3 nodes ready in %d ms at %s%n",
        cluster.lastStartDuration().orElseThrow().toMillis(), cluster.bootstrapServers());
    catalog =
        TopicCatalog.builder()
            .prefix("cluster-it.")
            .replicationFactor(TopicCatalog.replicationFactorFor(cluster.size()))
            .partitionsOfEveryTopic(3)
            .partitions(LogicalTopic.REQUESTS, 6)
            .build();
    try (Admin admin = admin()) {
      new TopicProvisioner(admin).provision(catalog);
    }
  }

  @AfterAll
  static void closeCluster() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void shouldListEveryNodeAndReplicateThePipelineTopicsThreeTimesWithMinIsrTwo() throws Exception {
    assertThat(cluster.bootstrapServers().split(",")).hasSize(3);
    try (Admin admin = admin()) {
      assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).contains(1, 2, 3);
      List<String> names = catalog.specs().stream().map(TopicSpec::name).toList();
      Map<String, List<TopicPartitionInfo>> partitions = describe(admin, names);
      assertThat(partitions.values().stream().flatMap(Collection::stream))
          .isNotEmpty()
          .allSatisfy(p -> assertThat(p.replicas()).hasSize(3))
          .allSatisfy(p -> assertThat(p.isr()).hasSize(3));
      Map<ConfigResource, Config> configs =
          admin
              .describeConfigs(
                  names.stream()
                      .map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name))
                      .toList())
              .all()
              .get();
      assertThat(configs.values())
          .allSatisfy(
              config ->
                  assertThat(config.get(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG).value())
                      .isEqualTo("2"));
    }
  }

  @Test
  @Order(2)
  void shouldKeepEveryCommittedRecordExactlyOnceAndInOrderWhenTheLeaderIsKilled() throws Exception {
    String topic = catalog.name(LogicalTopic.REQUESTS);
    try (Admin admin = admin()) {
      Map<Integer, Integer> leaders = leaders(describe(admin, List.of(topic)).get(topic));
      int controller = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
      int victim =
          Boolean.getBoolean(KILL_CONTROLLER_PROPERTY) && leaders.containsValue(controller)
              ? controller
              : nodeLeadingMostPartitions(leaders);
      Set<Integer> victimPartitions = partitionsLedBy(leaders, victim);
      TransactionalKeyedLoad load =
          new TransactionalKeyedLoad(
              cluster.bootstrapServers(),
              topic,
              KEYS,
              RECORDS_PER_TRANSACTION,
              "cluster-it-" + System.nanoTime());
      CompletableFuture<Void> producing = runOnOwnThread(load);

      awaitCommitted(load, RECORDS_PER_PHASE, producing);
      long pid = cluster.node(victim).pid().orElseThrow();
      long killedAt = System.nanoTime();
      cluster.kill(victim);

      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(
              () -> describe(admin, List.of(topic)).get(topic),
              now -> movedAwayFrom(now, victim, victimPartitions));
      long leaderMovedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt);
      List<TopicPartitionInfo> withoutVictim = describe(admin, List.of(topic)).get(topic);
      assertThat(withoutVictim)
          .allSatisfy(p -> assertThat(p.isr()).extracting(Node::id).doesNotContain(victim))
          .allSatisfy(p -> assertThat(p.isr()).hasSizeGreaterThanOrEqualTo(2));
      int committedWithNodeDown = load.committed();
      awaitCommitted(load, committedWithNodeDown + RECORDS_PER_PHASE, producing);

      long startedAt = System.nanoTime();
      cluster.start(victim);
      long restartMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
      await()
          .atMost(WAIT)
          .pollInterval(POLL)
          .until(
              () -> describe(admin, List.of(topic)).get(topic),
              now -> now.stream().allMatch(p -> p.isr().size() == 3));
      long rejoinedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt);
      awaitCommitted(load, load.committed() + RECORDS_PER_PHASE / 2, producing);
      load.stop();
      producing.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      System.out.printf(
          "killed node %d (leader of partitions %s of %s; active controller: node %d):"
              + " leaders moved %d ms after SIGKILL; node ready again %d ms after its start,"
              + " back in every ISR after %d ms; %d records committed, %d transactions aborted"
              + " and resent, longest gap between commits %d ms%n",
          victim,
          victimPartitions,
          topic,
          controller,
          leaderMovedMs,
          restartMs,
          rejoinedMs,
          load.committed(),
          load.aborted(),
          load.longestCommitGap().toMillis());

      Map<String, List<String>> read = readCommittedByKey(topic);
      assertThat(read.values().stream().mapToInt(List::size).sum()).isEqualTo(load.committed());
      assertThat(read).containsExactlyInAnyOrderEntriesOf(load.committedByKey());
      assertThat(describe(admin, List.of(topic)).get(topic))
          .allSatisfy(
              p -> assertThat(p.isr()).extracting(Node::id).containsExactlyInAnyOrder(1, 2, 3));
    }
  }

  @Test
  @Order(3)
  void shouldStopEveryNodeAndDeleteTheTemporaryFolderWhenClosed() {
    List<Long> pids =
        cluster.nodeIds().stream()
            .map(id -> cluster.node(id).pid())
            .map(OptionalLong::orElseThrow)
            .toList();

    long closing = System.nanoTime();
    cluster.close();
    long closedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);

    System.out.printf("Kafka cluster of 3 nodes closed in %d ms%n", closedMs);
    // the last node's clean shutdown cannot be granted once the other voters are gone: it is
    // killed then, not after the 20 s stop timeout
    assertThat(closedMs).isLessThan(LocalKafkaBrokerConfig.DEFAULT_STOP_TIMEOUT.toMillis());
    assertThat(pids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .isNotEqualTo(Optional.of(true)));
    assertThat(cluster.workDir()).doesNotExist();
  }

  private static void awaitCommitted(
      TransactionalKeyedLoad load, int records, CompletableFuture<Void> producing) {
    await()
        .atMost(WAIT)
        .pollInterval(POLL)
        .until(
            () -> {
              if (producing.isDone()) {
                producing.join(); // the producer failed: show why
              }
              return load.committed() >= records;
            });
  }

  private static CompletableFuture<Void> runOnOwnThread(Runnable task) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    Thread thread =
        new Thread(
            () -> {
              try {
                task.run();
                done.complete(null);
              } catch (Throwable t) {
                done.completeExceptionally(t);
              }
            },
            "transactional-load");
    thread.start();
    return done;
  }

  private static boolean movedAwayFrom(
      List<TopicPartitionInfo> partitions, int victim, Set<Integer> victimPartitions) {
    return partitions.stream()
        .filter(p -> victimPartitions.contains(p.partition()))
        .allMatch(p -> p.leader() != null && p.leader().id() != victim);
  }

  private static Map<Integer, Integer> leaders(List<TopicPartitionInfo> partitions) {
    Map<Integer, Integer> leaders = new LinkedHashMap<>();
    partitions.forEach(p -> leaders.put(p.partition(), p.leader().id()));
    return leaders;
  }

  private static int nodeLeadingMostPartitions(Map<Integer, Integer> leaders) {
    return leaders.values().stream()
        .collect(Collectors.groupingBy(Function.identity(), Collectors.counting()))
        .entrySet()
        .stream()
        .max(Map.Entry.comparingByValue())
        .orElseThrow()
        .getKey();
  }

  private static Set<Integer> partitionsLedBy(Map<Integer, Integer> leaders, int node) {
    return leaders.entrySet().stream()
        .filter(e -> e.getValue() == node)
        .map(Map.Entry::getKey)
        .collect(Collectors.toSet());
  }

  private static Map<String, List<TopicPartitionInfo>> describe(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException {
    Map<String, List<TopicPartitionInfo>> partitions = new HashMap<>();
    admin
        .describeTopics(topics)
        .allTopicNames()
        .get()
        .forEach((name, description) -> partitions.put(name, description.partitions()));
    return partitions;
  }

  /** Every record of the topic up to its last stable offset, as read_committed sees it. */
  private static Map<String, List<String>> readCommittedByKey(String topic) {
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ZERO)
          .until(
              () -> {
                for (ConsumerRecord<String, String> record : consumer.poll(POLL)) {
                  byKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
                }
                return partitions.stream().allMatch(p -> consumer.position(p) >= ends.get(p));
              });
    }
    return byKey;
  }

  private static Admin admin() {
    return Admin.create(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            cluster.bootstrapServers(),
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            5_000,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            10_000));
  }

  private static Map<String, Object> consumerConfig() {
    return Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
        cluster.bootstrapServers(),
        ConsumerConfig.ISOLATION_LEVEL_CONFIG,
        "read_committed",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
        false,
        ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class,
        ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
        StringDeserializer.class);
  }
}
