package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.FinalizedVersionRange;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/** One real broker for the class; the last test closes it and checks that nothing is left. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalKafkaBrokerIT {

  private static final Duration READ_DEADLINE = Duration.ofSeconds(30);

  private static LocalKafkaBroker broker;
  private static KafkaRoundTrip kafka;

  @BeforeAll
  static void startBroker() {
    broker = LocalKafkaBroker.start(LocalKafkaBrokerConfig.defaults());
    System.out.printf(
        "Kafka broker ready in %d ms at %s%n",
        broker.lastStartDuration().orElseThrow().toMillis(), broker.bootstrapServers());
    kafka = new KafkaRoundTrip(broker.bootstrapServers());
  }

  @AfterAll
  static void closeBroker() {
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  @Order(1)
  void shouldFinalizeTheShareGroupAndTransactionFeatures() throws Exception {
    try (Admin admin =
        Admin.create(
            Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers()))) {
      Map<String, FinalizedVersionRange> features =
          admin.describeFeatures().featureMetadata().get().finalizedFeatures();

      assertThat(features.get("share.version").maxVersionLevel()).isGreaterThanOrEqualTo((short) 1);
      assertThat(features.get("transaction.version").maxVersionLevel())
          .isGreaterThanOrEqualTo((short) 2);
    }
  }

  @Test
  @Order(1)
  void shouldDeliverCommittedTransactionsAndHideAbortedOnesFromReadCommittedConsumers()
      throws Exception {
    String topic = kafka.createTopic("transactions");

    kafka.produceInTransaction(topic, List.of("a1", "a2", "a3"), true);
    kafka.produceInTransaction(topic, List.of("aborted1", "aborted2"), false);
    kafka.produceInTransaction(topic, List.of("c1"), true);

    assertThat(kafka.readCommitted(topic, 4, READ_DEADLINE))
        .containsExactly("a1", "a2", "a3", "c1");
  }

  @Test
  @Order(2)
  void shouldKeepCommittedRecordsAcrossARestartOnTheSameAddress() throws Exception {
    String topic = kafka.createTopic("survives-restart");
    kafka.produceInTransaction(topic, List.of("before-1", "before-2"), true);
    String address = broker.bootstrapServers();
    long pidBefore = broker.pid().orElseThrow();

    broker.restart();
    System.out.printf(
        "Kafka broker ready again after restart in %d ms%n",
        broker.lastStartDuration().orElseThrow().toMillis());

    assertThat(broker.bootstrapServers()).isEqualTo(address);
    assertThat(broker.pid()).isPresent().isNotEqualTo(java.util.OptionalLong.of(pidBefore));
    kafka.produceInTransaction(topic, List.of("after"), true);
    assertThat(kafka.readCommitted(topic, 3, READ_DEADLINE))
        .containsExactly("before-1", "before-2", "after");
  }

  @Test
  @Order(3)
  void shouldLeaveNoProcessPortOrTemporaryFolderBehindWhenClosed() throws IOException {
    long pid = broker.pid().orElseThrow();
    int port = Integer.parseInt(broker.bootstrapServers().split(":")[1]);
    Path workDir = broker.workDir();

    broker.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive))
        .isNotEqualTo(java.util.Optional.of(true));
    assertThat(broker.isRunning()).isFalse();
    assertThat(Files.exists(workDir)).isFalse();
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      assertThat(socket.isBound()).isTrue();
    }
  }
}
