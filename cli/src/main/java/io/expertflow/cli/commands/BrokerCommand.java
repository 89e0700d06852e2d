package io.expertflow.cli.commands;

import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expertflow broker}: an embedded single-node Kafka; its subcommands fault and restore the
 * nodes of the cluster that {@code expertflow up --brokers N} runs.
 */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded single-node Kafka broker (KRaft, broker and controller in one) on"
          + " 127.0.0.1 and run until Ctrl-C. Transactions and share groups work on it.",
      "The subcommands act on a node of the cluster that 'expertflow up --brokers N' runs from"
          + " this folder.",
      "",
      "Example:  expertflow broker --kafka-port 0",
      "          expertflow broker kill --node 2 && expertflow broker start --node 2"
    })
public final class BrokerCommand implements Callable<Integer> {
  private static final String STACK_FILE = ConnectionOptions.STACK_FILE;

  @Spec CommandSpec spec;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description = "Port; 0 for a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description = "Keep data and the log here (default: a temporary folder).")
  Path dataDir;

  @Command(
      name = "kill",
      mixinStandardHelpOptions = true,
      description =
          "Kill a node of the local cluster at once (SIGKILL), as a crash would; its partitions"
              + " get new leaders once the controllers notice.")
  int kill(@Mixin NodeOptions node) {
    return act("kill", node);
  }

  @Command(
      name = "stop",
      mixinStandardHelpOptions = true,
      description = "Stop a node of the local cluster cleanly (SIGTERM); its data is kept.")
  int stop(@Mixin NodeOptions node) {
    return act("stop", node);
  }

  @Command(
      name = "start",
      mixinStandardHelpOptions = true,
      description =
          "Start a stopped or killed node of the local cluster again with its data; waits until"
              + " it is ready.")
  int start(@Mixin NodeOptions node) {
    return act("start", node);
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Stop a node of the local cluster cleanly and start it again with its data.")
  int restart(@Mixin NodeOptions node) {
    return act("restart", node);
  }

  @Command(
      name = "nodes",
      mixinStandardHelpOptions = true,
      description = "List the nodes of the local cluster: address, process and log file.")
  int nodes(
      @Option(
              names = "--control-url",
              paramLabel = "URL",
              description = "The cluster's control URL (default: from " + STACK_FILE + ").")
          String controlUrl) {
    print(ClusterControlClient.of(controlUrl, Path.of(STACK_FILE)).nodes());
    return 0;
  }

  /** Which node, and where its cluster's control listens. */
  static final class NodeOptions {
    @Option(names = "--node", required = true, paramLabel = "ID", description = "Node id, 1 to N.")
    int node;

    @Option(
        names = "--control-url",
        paramLabel = "URL",
        description = "The cluster's control URL (default: from " + STACK_FILE + ").")
    String controlUrl;
  }

  private int act(String action, NodeOptions node) {
    print(ClusterControlClient.of(node.controlUrl, Path.of(STACK_FILE)).act(action, node.node));
    return 0;
  }

  private void print(String text) {
    PrintWriter out = spec.commandLine().getOut();
    out.print(text);
    out.flush();
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LocalKafkaBrokerConfig.Builder config = LocalKafkaBrokerConfig.builder().clientPort(port);
    if (dataDir != null) {
      config.workDir(dataDir);
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(config.build())) {
      out.printf(
          "Kafka ready in %d ms%n  bootstrap servers: %s%n  log: %s%nPress Ctrl-C to stop.%n",
          broker.lastStartDuration().orElseThrow().toMillis(),
          broker.bootstrapServers(),
          broker.logFile());
      out.flush();
      stop.await();
    }
    return 0;
  }
}
