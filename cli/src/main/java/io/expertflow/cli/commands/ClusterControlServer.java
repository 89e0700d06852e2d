package io.expertflow.cli.commands;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaCluster;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

/**
 * The loopback HTTP endpoint through which {@code expertflow broker kill|stop|start|restart --node
 * N} reaches the cluster that {@code expertflow up --brokers N} runs: the nodes are child JVMs of
 * that process, so only it can start them again.
 *
 * <p>{@code GET /nodes} lists the nodes; {@code POST /nodes/{id}/{kill|stop|start|restart}} acts on
 * one and answers in plain text once done (a start waits until the node is ready). Bound to
 * 127.0.0.1 without authentication: whoever can reach it can also kill the processes directly.
 * Requests are served one at a time on a single thread.
 */
final class ClusterControlServer implements AutoCloseable {

  /** Key of the control URL in the stack file that {@code up} writes. */
  static final String STACK_KEY = "cluster.control.url";

  static final List<String> ACTIONS = List.of("kill", "stop", "start", "restart");

  private final LocalKafkaCluster cluster;
  private final HttpServer server;
  private final ExecutorService executor;

  private ClusterControlServer(LocalKafkaCluster cluster) {
    this.cluster = cluster;
    try {
      this.server =
          HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not open the cluster's control port on 127.0.0.1", e);
    }
    this.executor =
        Executors.newSingleThreadExecutor(
            r -> {
              Thread t = new Thread(r, "cluster-control");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/nodes", this::handle);
  }

  /** Serves control requests for {@code cluster} until closed. */
  static ClusterControlServer start(LocalKafkaCluster cluster) {
    ClusterControlServer control = new ClusterControlServer(cluster);
    control.server.start();
    return control;
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** One line per node: id, address, state, process id and log file. */
  static String describe(LocalKafkaCluster cluster) {
    return cluster.nodeIds().stream()
        .map(cluster::node)
        .map(ClusterControlServer::line)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static String line(LocalKafkaBroker node) {
    return String.format(
        Locale.ROOT,
        "node %d  %s  %s  log %s",
        node.nodeId(),
        node.bootstrapServers(),
        node.pid().isPresent() ? "running, pid " + node.pid().getAsLong() : "not running",
        node.logFile());
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String[] path = exchange.getRequestURI().getPath().split("/");
      // "", "nodes"[, id, action]
      if (path.length == 2 && "GET".equals(exchange.getRequestMethod())) {
        reply(exchange, 200, describe(cluster));
      } else if (path.length == 4 && "POST".equals(exchange.getRequestMethod())) {
        act(exchange, path[2], path[3]);
      } else {
        reply(
            exchange,
            404,
            "Use GET /nodes or POST /nodes/{id}/{" + String.join("|", ACTIONS) + "}");
      }
    }
  }

  private void act(HttpExchange exchange, String id, String action) throws IOException {
    int nodeId;
    try {
      nodeId = Integer.parseInt(id);
      cluster.node(nodeId);
    } catch (IllegalArgumentException e) {
      reply(exchange, 404, "No node '" + id + "'; the nodes are " + cluster.nodeIds() + ".");
      return;
    }
    if (!ACTIONS.contains(action)) {
      reply(
          exchange,
          400,
          "Unknown action '" + action + "'; use one of " + String.join(", ", ACTIONS) + ".");
      return;
    }
    long start = System.nanoTime();
    try {
      switch (action) {
        case "kill" -> cluster.kill(nodeId);
        case "stop" -> cluster.stop(nodeId);
        case "start" -> cluster.start(nodeId);
        default -> cluster.restart(nodeId);
      }
    } catch (RuntimeException e) {
      reply(exchange, 500, "node " + nodeId + ": " + action + " failed: " + e.getMessage());
      return;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    reply(
        exchange,
        200,
        String.format(
            Locale.ROOT,
            "node %d %s in %.1f s%n%s",
            nodeId,
            pastTense(action),
            took.toMillis() / 1000.0,
            line(cluster.node(nodeId))));
  }

  private static String pastTense(String action) {
    return switch (action) {
      case "kill" -> "killed (SIGKILL)";
      case "stop" -> "stopped";
      case "start" -> "started and ready";
      default -> "restarted and ready";
    };
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] body = (text.endsWith("\n") ? text : text + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
