package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code expertflow up --brokers 3} as a real process: three KRaft nodes, the pipeline's topics
 * with three replicas and min ISR 2, a node killed and started again through {@code expertflow
 * broker}, every node gone after SIGTERM, and the same data folder started again.
 */
class UpClusterIT {
  private static final Duration START_LIMIT = Duration.ofSeconds(180);
  private static final Pattern NODE_PID = Pattern.compile("node (\\d)  \\S+  running, pid (\\d+)");

  private Process up;

  @AfterEach
  void killLeftovers() {
    if (up != null) {
      up.destroyForcibly();
    }
  }

  @Test
  void shouldRunThreeReplicatingNodesAndBringAKilledNodeBackOnRequest() throws Exception {
    // under the project, so the child finds the schema registry's jar in a parent folder
    Path dir = Files.createTempDirectory(Path.of("target").toAbsolutePath(), "up-cluster-");
    Path log = dir.resolve("up.log");
    Path data = dir.resolve("data");
    String[] upCluster = {
      "up",
      "--brokers",
      "3",
      "--kafka-port",
      "0",
      "--registry-port",
      "0",
      "--data-dir",
      data.toString()
    };
    up = CliProcess.start(dir, log, upCluster);
    awaitReady(log);
    String printed = read(log);
    Properties stack = properties(dir.resolve(ConnectionOptions.STACK_FILE));
    String bootstrap = stack.getProperty("bootstrap.servers");
    String control = stack.getProperty(ClusterControlServer.STACK_KEY);

    assertThat(bootstrap.split(",")).hasSize(3);
    assertThat(stack.getProperty(LocalInfrastructure.STACK_STREAMS_STATE))
        .isEqualTo(data.resolve(UpCommand.STREAMS_STATE_DIR).toString());
    assertThat(printed)
        .contains("Kafka bootstrap servers: " + bootstrap)
        .contains("3 replicas, min.insync.replicas 2")
        .contains("node-1/broker.log", "node-2/broker.log", "node-3/broker.log")
        .contains("expertflow broker kill|stop|start|restart --node N")
        .contains(
            "Streams app state (for 'expertflow streams' started here): "
                + data.resolve(UpCommand.STREAMS_STATE_DIR));
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      TopicDescription requests =
          admin
              .describeTopics(List.of("expertflow.requests"))
              .allTopicNames()
              .get()
              .values()
              .iterator()
              .next();
      assertThat(requests.partitions()).allSatisfy(p -> assertThat(p.replicas()).hasSize(3));
      assertThat(
              config(admin, ConfigResource.Type.TOPIC, "expertflow.requests")
                  .get("min.insync.replicas")
                  .value())
          .isEqualTo("2");
      Config broker = config(admin, ConfigResource.Type.BROKER, "2");
      assertThat(broker.get("transaction.state.log.replication.factor").value()).isEqualTo("3");
      assertThat(broker.get("transaction.state.log.min.isr").value()).isEqualTo("2");
      assertThat(broker.get("auto.create.topics.enable").value()).isEqualTo("false");

      long pidBefore = pidOfNode(2, CliRun.run("broker", "nodes", "--control-url", control).out());
      CliRun killed = CliRun.run("broker", "kill", "--node", "2", "--control-url", control);
      assertThat(killed.code()).as(killed.err()).isZero();
      assertThat(killed.out()).contains("node 2 killed (SIGKILL)").contains("not running");
      assertThat(ProcessHandle.of(pidBefore).map(ProcessHandle::isAlive))
          .isNotEqualTo(Optional.of(true));

      CliRun started = CliRun.run("broker", "start", "--node", "2", "--control-url", control);
      assertThat(started.code()).as(started.err()).isZero();
      long pidAfter = pidOfNode(2, started.out());
      assertThat(pidAfter).isNotEqualTo(pidBefore);
      assertThat(admin.describeCluster().nodes().get()).extracting(Node::id).contains(1, 2, 3);
    }
    CliRun unknown = CliRun.run("broker", "restart", "--node", "9", "--control-url", control);
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err()).contains("No node '9'; the nodes are [1, 2, 3]");
    List<Long> nodePids =
        NODE_PID
            .matcher(CliRun.run("broker", "nodes", "--control-url", control).out())
            .results()
            .map(m -> Long.parseLong(m.group(2)))
            .toList();
    assertThat(nodePids).hasSize(3);

    up.destroy();

    assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up stops on SIGTERM").isTrue();
    assertThat(nodePids)
        .allSatisfy(
            pid ->
                assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
                    .isNotEqualTo(Optional.of(true)));
    assertThat(dir.resolve(ConnectionOptions.STACK_FILE)).doesNotExist();

    Path again = dir.resolve("up-again.log");
    up = CliProcess.start(dir, again, upCluster);
    awaitReady(again);
    int topics = TopicCatalog.builder().build().specs().size();
    assertThat(read(again)).contains("Topics: 0 created, " + topics + " existing");
    assertThat(data.resolve("kafka").resolve("node-3").resolve("data").resolve("meta.properties"))
        .exists();
    up.destroy();
    assertThat(up.waitFor(60, TimeUnit.SECONDS)).as("up stops on SIGTERM").isTrue();
  }

  private void awaitReady(Path log) {
    await()
        .atMost(START_LIMIT)
        .until(
            () -> {
              assertThat(up.isAlive())
                  .as("expertflow up is alive; its log:%n%s", read(log))
                  .isTrue();
              return read(log).contains("Press Ctrl-C");
            });
  }

  private static long pidOfNode(int node, String nodesText) {
    Matcher m = NODE_PID.matcher(nodesText);
    while (m.find()) {
      if (Integer.parseInt(m.group(1)) == node) {
        return Long.parseLong(m.group(2));
      }
    }
    throw new AssertionError("no running node " + node + " in:\n" + nodesText);
  }

  private static Config config(Admin admin, ConfigResource.Type type, String name)
      throws Exception {
    ConfigResource resource = new ConfigResource(type, name);
    return admin.describeConfigs(List.of(resource)).all().get().get(resource);
  }

  private static Properties properties(Path file) throws IOException {
    Properties p = new Properties();
    try (InputStream in = Files.newInputStream(file)) {
      p.load(in);
    }
    return p;
  }

  private static String read(Path log) throws IOException {
    return Files.exists(log) ? Files.readString(log) : "";
  }
}
