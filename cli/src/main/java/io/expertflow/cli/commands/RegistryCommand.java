package io.expertflow.cli.commands;

import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.local.LocalSchemaRegistryConfig;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow registry}: a local schema registry. */
@Command(
    name = "registry",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local schema registry (Apicurio Registry serving the Confluent-compatible API,"
          + " in memory, BACKWARD compatibility by default) on 127.0.0.1 and run until Ctrl-C.",
      "",
      "Example:  expertflow registry --registry-port 8081"
    })
public final class RegistryCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      description = "Port; 0 for a free one (default: ${DEFAULT-VALUE}).")
  int port;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try (LocalSchemaRegistry registry =
        LocalSchemaRegistry.start(LocalSchemaRegistryConfig.builder().port(port).build())) {
      out.printf(
          "schema registry ready in %d ms%n  URL: %s%n  log: %s%nPress Ctrl-C to stop.%n",
          registry.startDuration().toMillis(), registry.url(), registry.logFile());
      out.flush();
      stop.await();
    }
    return 0;
  }
}
