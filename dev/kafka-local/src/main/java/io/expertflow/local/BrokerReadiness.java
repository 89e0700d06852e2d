package io.expertflow.local;

import static java.util.concurrent.TimeUnit.NANOSECONDS;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeClusterResult;

/**
 * Waits until a starting broker answers {@code describeCluster} for the expected cluster, its
 * process ends, or time runs out, whichever comes first. The client port is polled first so no
 * Kafka client logs connection failures while the JVM boots.
 */
final class BrokerReadiness {

  private static final Duration POLL = Duration.ofMillis(50);
  private static final int ADMIN_TIMEOUT_MS = 5_000;

  private BrokerReadiness() {}

  /** Why waiting ended without a ready broker. */
  enum Failure {
    EXITED,
    TIMED_OUT
  }

  /** Thrown with the reason; the caller turns it into a message with the log. */
  static final class NotReadyException extends Exception {
    final Failure failure;

    NotReadyException(Failure failure, String detail) {
      super(detail);
      this.failure = failure;
    }
  }

  /**
   * Blocks until the broker of this cluster is ready: it answers for the cluster and the cluster
   * lists node {@code nodeId} among its live brokers. A broker of another cluster on the same port
   * (a leftover from an earlier run) does not count.
   */
  static void await(
      JavaChildProcess process,
      int clientPort,
      Map<String, String> clientSecurity,
      String clusterId,
      int nodeId,
      Duration timeout)
      throws NotReadyException, InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!portAccepts(clientPort)) {
      pause(process, deadline);
    }
    String lastAnswer = "no answer";
    try (Admin admin = Admin.create(adminConfig(clientPort, clientSecurity))) {
      while (true) {
        DescribeClusterResult cluster =
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(ADMIN_TIMEOUT_MS));
        CompletableFuture<String> answer =
            cluster.clusterId().toCompletionStage().toCompletableFuture();
        try {
          CompletableFuture.anyOf(answer, process.onExit())
              .get(Math.max(1, deadline - System.nanoTime()), NANOSECONDS);
          if (answer.isDone()) {
            String answering = answer.get();
            boolean listed = cluster.nodes().get().stream().anyMatch(node -> node.id() == nodeId);
            if (clusterId.equals(answering) && listed) {
              return;
            }
            lastAnswer =
                clusterId.equals(answering)
                    ? "node " + nodeId + " is not yet among the cluster's live brokers"
                    : "port " + clientPort + " is served by cluster " + answering;
          }
        } catch (ExecutionException e) {
          lastAnswer = e.getCause().toString();
        } catch (TimeoutException e) {
          // the deadline passed; pause reports it
        }
        pause(process, deadline, lastAnswer);
      }
    }
  }

  private static void pause(JavaChildProcess process, long deadline)
      throws NotReadyException, InterruptedException {
    pause(process, deadline, "its port never accepted connections");
  }

  /** Waits a poll interval on the process itself, so an exit is noticed at once. */
  private static void pause(JavaChildProcess process, long deadline, String lastAnswer)
      throws NotReadyException, InterruptedException {
    if (process.awaitExit(POLL)) {
      throw new NotReadyException(
          Failure.EXITED, "the process exited with code " + process.exitCode().orElse(-1));
    }
    if (System.nanoTime() > deadline) {
      throw new NotReadyException(
          Failure.TIMED_OUT, "it did not answer in time (last answer: " + lastAnswer + ")");
    }
  }

  private static boolean portAccepts(int port) {
    return FreePorts.accepts("127.0.0.1", port, 200);
  }

  private static Map<String, Object> adminConfig(
      int clientPort, Map<String, String> clientSecurity) {
    Map<String, Object> config = new HashMap<>(clientSecurity);
    config.putAll(
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            KafkaNodeProperties.bootstrapServers(clientPort),
            AdminClientConfig.CLIENT_ID_CONFIG,
            "expertflow-local-readiness",
            AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
            ADMIN_TIMEOUT_MS,
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            ADMIN_TIMEOUT_MS));
    return config;
  }
}
