package io.expertflow.cli.commands;

import io.expertflow.local.FreePorts;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.LocalKafkaSasl;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.topics.ProvisioningResult;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The embedded broker (or cluster of nodes) and schema registry that {@code up} starts: child JVMs
 * on loopback, started side by side, stopped together (also on Ctrl-C, through their shutdown
 * hooks). A cluster is reachable for node faults through a {@link ClusterControlServer}.
 */
final class LocalInfrastructure implements AutoCloseable {
  /**
   * The stack file's key for the streams app's state folder: one per stack, so a new stack's
   * brokers never meet state restored from another's changelogs.
   */
  static final String STACK_STREAMS_STATE = "streams.state.dir";

  private final LocalServices services;
  private final ClusterControlServer control;
  private final LocalKafkaSasl sasl;

  private LocalInfrastructure(LocalServices services, LocalKafkaSasl sasl) {
    this.services = services;
    this.sasl = sasl;
    this.control = services.cluster().map(ClusterControlServer::start).orElse(null);
  }

  /**
   * Starts them; port 0 picks a free port. A port in use fails at once with a message naming it.
   *
   * @param kafkaPort the port of the first Kafka node; node {@code n} listens on {@code kafkaPort +
   *     n - 1} (or each on a free port when 0)
   * @param workDir folder for the broker's data and both logs, or null for a temporary one
   * @param brokers Kafka nodes: 1 is a single broker, more a KRaft cluster with replicas
   */
  static LocalInfrastructure start(int kafkaPort, int registryPort, Path workDir, int brokers) {
    return start(kafkaPort, registryPort, workDir, brokers, null);
  }

  /**
   * As {@link #start(int, int, Path, int)}, with SASL and ACLs on the broker when {@code sasl} is
   * not null (one node only); this object's own clients log in as its super user.
   */
  static LocalInfrastructure start(
      int kafkaPort, int registryPort, Path workDir, int brokers, LocalKafkaSasl sasl) {
    if (brokers < 1) {
      throw new IllegalArgumentException("--brokers must be 1 or more, got " + brokers);
    }
    if (sasl != null && brokers > 1) {
      throw new IllegalArgumentException(
          "--sasl starts one node; a cluster with SASL is not supported yet");
    }
    for (int n = 0; n < brokers && kafkaPort != 0; n++) {
      requireFree(kafkaPort + n, brokers == 1 ? "Kafka" : "Kafka node " + (n + 1), "--kafka-port");
    }
    requireFree(registryPort, "the schema registry", "--registry-port");
    LocalSchemaRegistryConfig.Builder rc = LocalSchemaRegistryConfig.builder().port(registryPort);
    LocalKafkaBrokerConfig.Builder bc =
        LocalKafkaBrokerConfig.builder()
            .clientPort(kafkaPort)
            // as on a production cluster: a client of an older stack, or a mistyped prefix, must
            // not make a one-partition topic that the catalogue then refuses at the next start
            .brokerProperty("auto.create.topics.enable", "false");
    if (workDir != null) {
      rc.workDir(workDir.resolve("schema-registry"));
      bc.workDir(workDir.resolve("kafka"));
    }
    if (sasl != null) {
      bc.sasl(sasl);
    }
    return new LocalInfrastructure(LocalServices.start(brokers, bc.build(), rc.build()), sasl);
  }

  String bootstrapServers() {
    return services.bootstrapServers();
  }

  String schemaRegistryUrl() {
    return services.registry().url();
  }

  /** How many Kafka nodes run. */
  int brokers() {
    return services.brokers();
  }

  /** The cluster and its control URL, when more than one node runs. */
  Optional<LocalKafkaCluster> cluster() {
    return services.cluster();
  }

  Optional<String> controlUrl() {
    return Optional.ofNullable(control).map(ClusterControlServer::url);
  }

  /** The Kafka log files, one per node. */
  List<Path> kafkaLogFiles() {
    return services
        .cluster()
        .map(c -> c.nodeIds().stream().map(id -> c.node(id).logFile()).toList())
        .orElseGet(() -> List.of(services.broker().logFile()));
  }

  Map<String, Object> clientProperties() {
    Map<String, Object> p = new HashMap<>();
    if (sasl != null) {
      p.putAll(sasl.clientProperties(sasl.superUser()));
    }
    p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return p;
  }

  /** Creates {@code acls} on the broker (as the super user). */
  void createAcls(List<AclBinding> acls) {
    try (Admin admin = Admin.create(clientProperties())) {
      admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the ACLs", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("the broker did not take the ACLs: " + e.getMessage(), e);
    }
  }

  /** Creates the pipeline's topics under {@code prefix} (idempotent). */
  ProvisioningResult provisionTopics(String prefix) {
    try (Admin admin = Admin.create(clientProperties())) {
      return new TopicProvisioner(admin)
          .provision(
              TopicCatalog.builder()
                  .prefix(prefix)
                  .replicationFactor(TopicCatalog.replicationFactorFor(brokers()))
                  .build());
    }
  }

  /**
   * Writes the connection file that other commands read by default: the addresses, the topic
   * prefix, the development audit key, the streams app's state folder for this stack, and {@code
   * commandConfig} (the super user's client file of a SASL broker) as the default {@code
   * --command-config} when it is not null.
   */
  void writeStackFile(
      Path file, String prefix, Path devAuditKey, Path streamsState, Path commandConfig) {
    Properties p = new Properties();
    if (commandConfig != null) {
      p.setProperty(
          ConnectionOptions.STACK_COMMAND_CONFIG, commandConfig.toAbsolutePath().toString());
    }
    p.setProperty("bootstrap.servers", bootstrapServers());
    p.setProperty("schema.registry.url", schemaRegistryUrl());
    p.setProperty("topic.prefix", prefix);
    p.setProperty(DevAuditKey.STACK_KEY, devAuditKey.toString());
    p.setProperty(STACK_STREAMS_STATE, streamsState.toAbsolutePath().toString());
    controlUrl().ifPresent(url -> p.setProperty(ClusterControlServer.STACK_KEY, url));
    try {
      Files.createDirectories(file.toAbsolutePath().getParent());
      try (Writer w = Files.newBufferedWriter(file)) {
        p.store(w, "written by 'expertflow up'; removed when it stops");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + ErrorText.of(e), e);
    }
  }

  @Override
  public void close() {
    try {
      if (control != null) {
        control.close();
      }
    } finally {
      services.close();
    }
  }

  private static void requireFree(int port, String what, String flag) {
    if (port != 0 && !FreePorts.isFree(port)) {
      throw new IllegalStateException(
          "port "
              + port
              + " for "
              + what
              + " is already in use (another Kafka or registry running?); stop it, or pass "
              + flag
              + " 0 to use a free port");
    }
  }
}
