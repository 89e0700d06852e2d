package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * An exactly-once worker on a three-node cluster while the node leading most of its partitions is
 * killed with SIGKILL and started again: every request is answered exactly once. Needs the
 * three-node test stack; the build runs it in a JVM of its own with {@code
 * -Dexpertflow.test.brokers=3}.
 */
@WithLocalStack
@Tag("three-node")
@EnabledIfSystemProperty(named = LocalStack.BROKERS_PROPERTY, matches = "3")
class BrokerFailoverIT {
  private static final Path LOGS = Path.of("target", "broker-failover-it");
  private static final Duration WAIT = Duration.ofMinutes(3);

  @TempDir Path bundleDir;
  private final List<Process> children = new ArrayList<>();

  @AfterEach
  void killLeftovers() {
    children.forEach(Process::destroyForcibly);
  }

  @Test
  void shouldAnswerEveryRequestExactlyOnceWhileThePartitionLeaderIsKilledAndRestarted(
      LocalStack stack) throws Exception {
    LocalKafkaCluster cluster = stack.cluster().orElseThrow();
    ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
    TopicCatalog topics = stack.isolatedTopics("BrokerFailoverIT");
    List<String> served =
        List.of(topics.name(LogicalTopic.REQUESTS), topics.name(LogicalTopic.RESPONSES));
    int count = 3_000;
    List<String> ids = new ArrayList<>(count);
    try (RequestFeed feed = new RequestFeed(stack, topics)) {
      for (int i = 0; i < count; i++) {
        InferenceRequest r = Requests.document("failover-" + i, i);
        ids.add(r.getRequestId());
        feed.send(r);
      }
      feed.flush();
    }
    try (OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        Admin admin = stack.newAdmin()) {
      int victim = nodeLeadingMostPartitions(describe(admin, served));
      int controller = admin.describeMetadataQuorum().quorumInfo().get().leaderId();
      Process worker = startWorker(stack, topics);
      awaitOutcomes(ledger, count / 5);

      Instant killedAt = Instant.now();
      long killNanos = System.nanoTime();
      cluster.kill(victim);
      int atKill = ledger.poll().answered();
      assertThat(atKill)
          .as("answered when the node was killed: work must be left")
          .isLessThan(count);
      long leadersMovedMs;
      long nextAnswerMs;
      try {
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(50))
            .until(() -> describe(admin, served), now -> noneLedBy(now, victim));
        leadersMovedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
        await()
            .atMost(WAIT)
            .pollInSameThread()
            .pollInterval(Duration.ofMillis(20))
            .until(() -> ledger.poll().answered() > atKill);
        nextAnswerMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
      } finally {
        cluster.start(victim);
      }
      await()
          .atMost(WAIT)
          .pollInterval(Duration.ofMillis(100))
          .until(
              () -> describe(admin, served),
              now -> now.stream().allMatch(p -> p.isr().size() == 3));
      awaitOutcomes(ledger, count);
      long allAnsweredMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killNanos);
      worker.destroy(); // SIGTERM: a graceful stop
      assertThat(worker.waitFor(60, TimeUnit.SECONDS)).as("worker stopped on SIGTERM").isTrue();
      ledger.readToEnd(Duration.ofMinutes(2));

      assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.responses()).hasSize(count);
      assertThat(ledger.deadLetters()).isEmpty();
      long producedAfterKill =
          ledger.responses().stream().filter(r -> r.getProducedAt().isAfter(killedAt)).count();
      // not asserted: a fast worker may have produced every remaining response (in transactions
      // not yet committed) before the kill; that answers were committed after it is awaited above
      report(
          "broker failover: %d requests -> %d responses, %d duplicates, %d dead letters; node %d"
              + " (active controller: node %d) killed with %d answers committed; its leaders"
              + " moved after %d ms, the next"
              + " answer was committed after %d ms, all after %d ms; %d responses produced after"
              + " the kill",
          count,
          ledger.responses().size(),
          ledger.duplicates().size(),
          ledger.deadLetters().size(),
          victim,
          controller,
          atKill,
          leadersMovedMs,
          nextAnswerMs,
          allAnsweredMs,
          producedAfterKill);
    }
  }

  private Process startWorker(LocalStack stack, TopicCatalog topics) throws IOException {
    Files.createDirectories(LOGS);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p =
        new ProcessBuilder(
                java,
                "-Xmx384m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                WorkerProcess.class.getName(),
                stack.bootstrapServers(),
                stack.schemaRegistryUrl(),
                topics.prefix(),
                bundleDir.toString(),
                "failover-worker")
            .redirectErrorStream(true)
            .redirectOutput(LOGS.resolve("worker.log").toFile())
            .start();
    children.add(p);
    return p;
  }

  private static List<TopicPartitionInfo> describe(Admin admin, List<String> topics)
      throws Exception {
    return admin.describeTopics(topics).allTopicNames().get().values().stream()
        .map(TopicDescription::partitions)
        .flatMap(List::stream)
        .toList();
  }

  private static int nodeLeadingMostPartitions(List<TopicPartitionInfo> partitions) {
    Map<Integer, Long> led =
        partitions.stream()
            .collect(
                Collectors.groupingBy(p -> p.leader().id(), HashMap::new, Collectors.counting()));
    return led.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
  }

  private static boolean noneLedBy(List<TopicPartitionInfo> partitions, int node) {
    return partitions.stream().allMatch(p -> p.leader() != null && p.leader().id() != node)
        && partitions.stream()
            .noneMatch(p -> p.isr().stream().map(Node::id).toList().contains(node));
  }
}
