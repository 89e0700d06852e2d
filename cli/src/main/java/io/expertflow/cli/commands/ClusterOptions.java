package io.expertflow.cli.commands;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster of {@code expertflow topics plan|apply} is and how to reach it: the
 * bootstrap servers and a client properties file, as Kafka's own tools take them. Values resolve as
 * in {@link ConnectionOptions} (flag, environment, the local stack, default).
 */
final class ClusterOptions {
  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,...]",
      description =
          "Kafka bootstrap servers (env EXPERTFLOW_BOOTSTRAP_SERVERS; default: the local stack"
              + " started by 'expertflow up', else "
              + ConnectionOptions.DEFAULT_BOOTSTRAP
              + ").")
  String bootstrapServers;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Kafka client properties file, as Kafka's own tools take it (security.protocol, sasl.*,"
              + " ssl.*); env EXPERTFLOW_COMMAND_CONFIG.")
  Path commandConfig;

  @Option(
      names = "--timeout",
      defaultValue = "PT30S",
      paramLabel = "DURATION",
      description = "Give up on a cluster that does not answer after this long (default: PT30S).")
  Duration timeout;

  private ConnectionOptions resolved() {
    ConnectionOptions c = new ConnectionOptions();
    c.bootstrapServers = bootstrapServers;
    c.commandConfig = commandConfig;
    return c;
  }

  String bootstrapServers() {
    return resolved().bootstrapServers();
  }

  /** The properties file as given (flag or environment), for the commands a plan suggests. */
  String commandConfigFile() {
    if (commandConfig != null) {
      return commandConfig.toString();
    }
    return System.getenv("EXPERTFLOW_COMMAND_CONFIG");
  }

  /**
   * A new admin client of the cluster; the caller closes it.
   *
   * @throws IllegalArgumentException when the bootstrap servers or the properties are unusable
   */
  Admin admin() {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("--timeout must be positive, got " + timeout);
    }
    Map<String, Object> props = resolved().kafkaProperties();
    int ms = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    props.putIfAbsent(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, ms);
    props.putIfAbsent(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, ms);
    props.putIfAbsent(CommonClientConfigs.CLIENT_ID_CONFIG, "expertflow-topics");
    try {
      return Admin.create(props);
    } catch (KafkaException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new IllegalArgumentException(
          "Cannot connect to Kafka at "
              + bootstrapServers()
              + ": "
              + root.getMessage()
              + " (check --bootstrap-servers and --command-config)",
          e);
    }
  }
}
