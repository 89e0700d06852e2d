package io.expertflow.security;

import io.expertflow.local.FreePorts;
import io.expertflow.local.KafkaUserAcls;
import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaSasl;
import io.expertflow.local.LocalKafkaTls;
import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * One local Kafka node with two authenticated listeners, SASL_PLAINTEXT (SCRAM-SHA-512) and SSL
 * with client certificates ({@link LocalKafkaTls}: {@code CN=user} is {@code User:user}), holding
 * the pipeline's topics and the ACLs of {@code deploy/k8s/base/kafka-users.yaml}; and the real
 * schema registry behind {@link BasicAuthRegistryRelay}. Every KafkaUser of the manifests, the
 * super user {@code admin} and one user without ACLs have a password and a certificate.
 */
final class SecuredStack implements AutoCloseable {

  /** How a client authenticates: one listener each. */
  enum Auth {
    SASL,
    TLS
  }

  /** The registry's credentials, as {@code basic.auth.user.info} holds them. */
  static final String REGISTRY_USER_INFO = "registry-user:registry-secret";

  private static final Path MANIFESTS = Path.of("..", "deploy", "k8s", "base", "kafka-users.yaml");

  private final LocalKafkaSasl sasl;
  private final LocalKafkaTls tls;
  private final int tlsPort;
  private final LocalKafkaBroker broker;
  private final LocalSchemaRegistry registry;
  private final BasicAuthRegistryRelay relay;

  private SecuredStack(
      LocalKafkaSasl sasl,
      LocalKafkaTls tls,
      int tlsPort,
      LocalKafkaBroker broker,
      LocalSchemaRegistry registry,
      BasicAuthRegistryRelay relay) {
    this.sasl = sasl;
    this.tls = tls;
    this.tlsPort = tlsPort;
    this.broker = broker;
    this.registry = registry;
    this.relay = relay;
  }

  /**
   * Starts the node and the registry, with the TLS files in {@code dir}, and creates the topics and
   * the manifests' ACLs; {@code stranger} is a user with none.
   */
  static SecuredStack start(Path dir, String stranger) throws Exception {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS);
    Map<String, String> users = new LinkedHashMap<>();
    for (String user : acls.users()) {
      users.put(user, user + "-secret");
    }
    users.put(stranger, "stranger-secret");
    LocalKafkaSasl sasl = LocalKafkaSasl.of("admin", "admin-secret", users);
    Set<String> certified = new LinkedHashSet<>(users.keySet());
    certified.add("admin");
    LocalKafkaTls tls = LocalKafkaTls.create(dir.resolve("tls"), certified);
    CompletableFuture<LocalSchemaRegistry> registryStart =
        CompletableFuture.supplyAsync(
            () -> LocalSchemaRegistry.start(LocalSchemaRegistryConfig.builder().build()));
    int saslPort = FreePorts.pick();
    int controllerPort = FreePorts.pick();
    int tlsPort = FreePorts.pick();
    LocalKafkaBrokerConfig.Builder config =
        LocalKafkaBrokerConfig.builder()
            .sasl(sasl)
            .clientPort(saslPort)
            .controllerPort(controllerPort)
            .brokerProperty(
                "listeners",
                "SASL_PLAINTEXT://127.0.0.1:"
                    + saslPort
                    + ",SSL://127.0.0.1:"
                    + tlsPort
                    + ",CONTROLLER://127.0.0.1:"
                    + controllerPort)
            .brokerProperty(
                "advertised.listeners",
                "SASL_PLAINTEXT://127.0.0.1:" + saslPort + ",SSL://127.0.0.1:" + tlsPort)
            .brokerProperty(
                "listener.security.protocol.map",
                "SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:SASL_PLAINTEXT");
    tls.listenerProperties("SSL").forEach(config::brokerProperty);
    LocalKafkaBroker broker = LocalKafkaBroker.start(config.build());
    LocalSchemaRegistry registry = registryStart.get(3, TimeUnit.MINUTES);
    String[] registryUser = REGISTRY_USER_INFO.split(":", 2);
    BasicAuthRegistryRelay relay =
        new BasicAuthRegistryRelay(registry.url(), registryUser[0], registryUser[1]);
    SecuredStack stack = new SecuredStack(sasl, tls, tlsPort, broker, registry, relay);
    try (Admin admin = Admin.create(stack.clientProperties(Auth.SASL, "admin"))) {
      new TopicProvisioner(admin).provision(TopicCatalog.builder().build());
      admin.createAcls(acls.all()).all().get(30, TimeUnit.SECONDS);
    }
    return stack;
  }

  /** The registry's URL, behind the relay that demands {@link #REGISTRY_USER_INFO}. */
  BasicAuthRegistryRelay relay() {
    return relay;
  }

  /** The listener's address for clients authenticating with {@code auth}. */
  String bootstrapServers(Auth auth) {
    return auth == Auth.SASL ? broker.bootstrapServers() : "127.0.0.1:" + tlsPort;
  }

  /** Kafka client settings of {@code user} on the listener of {@code auth}, with the address. */
  Map<String, Object> clientProperties(Auth auth, String user) {
    Map<String, Object> props = new HashMap<>(securitySettings(auth, user));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(auth));
    return props;
  }

  /**
   * A {@code --command-config} file in {@code dir}: the user's SASL login or certificate, and the
   * registry's credentials.
   */
  Path commandConfig(Path dir, Auth auth, String user) {
    Path file = dir.resolve(user + "-" + auth.name().toLowerCase(Locale.ROOT) + ".properties");
    Properties properties = new Properties();
    properties.putAll(securitySettings(auth, user));
    properties.put(SchemaRegistryConfig.BASIC_AUTH_USER_INFO, REGISTRY_USER_INFO);
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  @Override
  public void close() {
    relay.close();
    registry.close();
    broker.close();
  }

  private Map<String, String> securitySettings(Auth auth, String user) {
    return auth == Auth.SASL ? sasl.clientProperties(user) : tls.clientProperties(user);
  }
}
