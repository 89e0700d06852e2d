package io.expertflow.cli.commands;

import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow broker}: an embedded single-node Kafka. */
@Command(
    name = "broker",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded single-node Kafka broker (KRaft, broker and controller in one) on"
          + " 127.0.0.1 and run until Ctrl-C. Transactions and share groups work on it.",
      "",
      "Example:  expertflow broker --kafka-port 0"
    })
public final class BrokerCommand implements Callable<Integer> {
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
