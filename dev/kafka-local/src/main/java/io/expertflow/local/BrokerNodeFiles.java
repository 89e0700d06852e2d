package io.expertflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The files a {@link LocalKafkaBroker} writes into its work folder before it starts its child. */
final class BrokerNodeFiles {
  private static final String LOGBACK_RESOURCE = "kafka-node-logback.xml";

  private BrokerNodeFiles() {}

  /**
   * Writes the node's {@code server.properties} (its listeners, quorum, data folder, SASL and the
   * config's own broker properties) and its logback file into {@code workDir}; the properties file.
   */
  static Path writeConfiguration(
      Path workDir,
      LocalKafkaBrokerConfig config,
      int nodeId,
      List<KafkaNodeProperties.Voter> voters,
      int clientPort,
      int controllerPort) {
    Path properties = workDir.resolve("server.properties");
    Map<String, String> overrides = new LinkedHashMap<>();
    config
        .sasl()
        .ifPresent(
            sasl ->
                overrides.putAll(
                    sasl.brokerProperties(KafkaNodeProperties.HOST, clientPort, controllerPort)));
    overrides.putAll(config.brokerProperties());
    KafkaNodeProperties.write(
        voters.isEmpty()
            ? KafkaNodeProperties.of(clientPort, controllerPort, workDir.resolve("data"), overrides)
            : KafkaNodeProperties.ofNode(
                nodeId, clientPort, voters, workDir.resolve("data"), overrides),
        properties);
    Path logback = workDir.resolve("logback.xml");
    try (InputStream in = BrokerNodeFiles.class.getResourceAsStream(LOGBACK_RESOURCE)) {
      Files.copy(
          Objects.requireNonNull(in, LOGBACK_RESOURCE),
          logback,
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write " + logback, e);
    }
    return properties;
  }

  /** The users' SCRAM credentials for formatting, in a file only this user may read. */
  static Path writeScramCredentials(Path workDir, LocalKafkaSasl sasl) {
    Path file = workDir.resolve("scram-credentials");
    OwnerOnlyFile.write(
        file, (String.join("\n", sasl.scramCredentials()) + "\n").getBytes(StandardCharsets.UTF_8));
    return file;
  }

  /** The child JVM's options: the config's, and the logback file written beside the properties. */
  static List<String> jvmOptions(Path workDir, LocalKafkaBrokerConfig config) {
    List<String> options = new ArrayList<>(config.jvmOptions());
    options.add("-Dlogback.configurationFile=" + workDir.resolve("logback.xml"));
    return options;
  }
}
