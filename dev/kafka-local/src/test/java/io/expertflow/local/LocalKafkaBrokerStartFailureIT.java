package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerStartFailureIT {

  @TempDir Path workDir;

  @Test
  void shouldNameThePortAndTheLogFileWhenTheClientPortIsTaken() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      LocalKafkaBroker broker =
          new LocalKafkaBroker(
              LocalKafkaBrokerConfig.builder()
                  .workDir(workDir)
                  .clientPort(squatter.getLocalPort())
                  .build());

      assertThatThrownBy(broker::start)
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("port " + squatter.getLocalPort())
          .hasMessageContaining("client listener")
          .hasMessageContaining("Log file: " + workDir.resolve("broker.log"));
      assertThat(broker.pid()).isEmpty();
      broker.close();
    }
  }

  @Test
  void shouldPickAnotherPortWhenOneItPickedIsTakenBeforeTheBrokerBindsIt() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int taken = squatter.getLocalPort();
      AtomicBoolean first = new AtomicBoolean(true);
      // the first port picked is one another process took in the meantime
      IntSupplier picker = () -> first.getAndSet(false) ? taken : FreePorts.pick();

      try (LocalKafkaBroker broker =
          new LocalKafkaBroker(LocalKafkaBrokerConfig.builder().workDir(workDir).build(), picker)
              .start()) {
        assertThat(broker.bootstrapServers()).doesNotEndWith(":" + taken);
        KafkaRoundTrip kafka = new KafkaRoundTrip(broker.bootstrapServers());
        String topic = kafka.createTopic("after-retry");
        kafka.produceInTransaction(topic, List.of("served"), true);
        assertThat(kafka.readCommitted(topic, 1, Duration.ofSeconds(30))).containsExactly("served");
        assertThat(Files.readString(broker.logFile())).contains(String.valueOf(taken));
      }
    }
  }

  @Test
  void shouldNotPickAnotherPortForOneThatIsConfigured() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      AtomicInteger picks = new AtomicInteger();
      LocalKafkaBroker broker =
          new LocalKafkaBroker(
              LocalKafkaBrokerConfig.builder()
                  .workDir(workDir)
                  .clientPort(squatter.getLocalPort())
                  .build(),
              () -> {
                picks.incrementAndGet();
                return FreePorts.pick();
              });

      assertThatThrownBy(broker::start)
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("port " + squatter.getLocalPort());
      // the controller port is picked (0), but the taken client port is the user's: another try
      // would be futile
      assertThat(picks.get()).isEqualTo(1);
      broker.close();
    }
  }

  @Test
  void shouldNameTheClusterNodeWhosePortIsTakenAndStopTheOthers() throws Exception {
    try (ServerSocket squatter = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int taken = squatter.getLocalPort();
      LocalKafkaCluster cluster =
          new LocalKafkaCluster(
              3, LocalKafkaBrokerConfig.builder().workDir(workDir).clientPort(taken - 2).build());

      assertThatThrownBy(cluster::start)
          .isInstanceOf(BrokerStartException.class)
          .hasMessageContaining("Kafka node 3 cannot start: port " + taken)
          .hasMessageContaining("Log file: " + workDir.resolve("node-3").resolve("broker.log"));
      assertThat(cluster.node(1).pid()).isEmpty();
      assertThat(cluster.node(2).pid()).isEmpty();
      cluster.close();
    }
  }

  @Test
  void shouldNameTheClusterNodeThatDidNotComeUpInTimeAndItsLogAndStopEveryNode() {
    LocalKafkaCluster cluster =
        new LocalKafkaCluster(
            3,
            LocalKafkaBrokerConfig.builder()
                .workDir(workDir)
                .readyTimeout(Duration.ofMillis(100))
                .build());

    assertThatThrownBy(cluster::start)
        .isInstanceOf(BrokerStartException.class)
        .hasMessageContaining("Kafka node 1 at " + cluster.node(1).bootstrapServers())
        .hasMessageContaining("did not answer in time")
        .hasMessageContaining("Log file: " + workDir.resolve("node-1").resolve("broker.log"));
    assertThat(cluster.nodeIds()).allSatisfy(id -> assertThat(cluster.node(id).pid()).isEmpty());
    cluster.close();
  }

  @Test
  void shouldQuoteTheLogWhenTheBrokerProcessExitsOnAnInvalidSetting() {
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            LocalKafkaBrokerConfig.builder()
                .workDir(workDir)
                .brokerProperty("num.network.threads", "none")
                .build());

    assertThatThrownBy(broker::start)
        .isInstanceOf(BrokerStartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining("Log file: " + workDir.resolve("broker.log"))
        .hasMessageContaining("---- errors in the log ----")
        .hasMessageContaining("num.network.threads")
        .satisfies(
            e -> assertThat(((BrokerStartException) e).logFile()).isEqualTo(broker.logFile()));
    broker.close();
  }

  @Test
  void shouldStopTheChildWhenTheBrokerIsNotReadyInTime() {
    LocalKafkaBroker broker =
        new LocalKafkaBroker(
            LocalKafkaBrokerConfig.builder()
                .workDir(workDir)
                .readyTimeout(Duration.ofMillis(100))
                .build());

    assertThatThrownBy(broker::start)
        .isInstanceOf(BrokerStartException.class)
        .hasMessageContaining("did not answer in time")
        .hasMessageContaining(broker.logFile().toString());
    assertThat(broker.pid()).isEmpty();
    broker.close();
  }
}
