package io.expertflow.cli.commands;

import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.schemas.topics.ProvisioningResult;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * The embedded broker and schema registry that {@code up}, {@code demo} and friends start: both
 * child JVMs on loopback, started side by side, stopped together (also on Ctrl-C, through their
 * shutdown hooks).
 */
final class LocalInfrastructure implements AutoCloseable {
  private final LocalServices services;
  private final LocalKafkaBroker broker;
  private final LocalSchemaRegistry registry;

  private LocalInfrastructure(LocalServices services) {
    this.services = services;
    this.broker = services.broker();
    this.registry = services.registry();
  }

  /**
   * Starts both; port 0 picks a free port. A port in use fails at once with a message naming it.
   *
   * @param workDir folder for the broker's data and both logs, or null for a temporary one
   */
  static LocalInfrastructure start(int kafkaPort, int registryPort, Path workDir) {
    requireFree(kafkaPort, "Kafka", "--kafka-port");
    requireFree(registryPort, "schema registry", "--registry-port");
    LocalSchemaRegistryConfig.Builder rc = LocalSchemaRegistryConfig.builder().port(registryPort);
    LocalKafkaBrokerConfig.Builder bc = LocalKafkaBrokerConfig.builder().clientPort(kafkaPort);
    if (workDir != null) {
      rc.workDir(workDir.resolve("schema-registry"));
      bc.workDir(workDir.resolve("kafka"));
    }
    return new LocalInfrastructure(LocalServices.start(bc.build(), rc.build()));
  }

  String bootstrapServers() {
    return broker.bootstrapServers();
  }

  String schemaRegistryUrl() {
    return registry.url();
  }

  LocalKafkaBroker broker() {
    return broker;
  }

  Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** Creates the pipeline's topics under {@code prefix} (idempotent). */
  ProvisioningResult provisionTopics(String prefix) {
    try (Admin admin = Admin.create(clientProperties())) {
      return new TopicProvisioner(admin)
          .provision(TopicCatalog.builder().prefix(prefix).replicationFactor((short) 1).build());
    }
  }

  /** Writes the connection file that other commands read by default. */
  void writeStackFile(Path file, String prefix, Path devAuditKey) {
    Properties p = new Properties();
    p.setProperty("bootstrap.servers", bootstrapServers());
    p.setProperty("schema.registry.url", schemaRegistryUrl());
    p.setProperty("topic.prefix", prefix);
    p.setProperty(DevAuditKey.STACK_KEY, devAuditKey.toString());
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "written by 'expertflow up'; removed when it stops");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    services.close();
  }

  private static void requireFree(int port, String what, String flag) {
    if (port == 0) {
      return;
    }
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    } catch (IOException e) {
      throw new IllegalStateException(
          "port "
              + port
              + " for the "
              + what
              + " is already in use (another Kafka or registry running?); stop it, or pass "
              + flag
              + " 0 to use a free port");
    }
  }
}
