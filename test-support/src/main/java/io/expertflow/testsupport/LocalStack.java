package io.expertflow.testsupport;

import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The infrastructure integration tests run against: a real local Kafka broker with the pipeline's
 * topics provisioned under the default prefix, and a real schema registry server.
 *
 * <p>One stack per test JVM, started by {@link LocalStackExtension} and reachable from test code as
 * a parameter or through {@link #current()}. Tests that need topics nobody else writes to ask for
 * {@link #isolatedTopics(String)}. Thread-safe.
 */
public final class LocalStack implements ExtensionContext.Store.CloseableResource {

  /** Partitions of every test topic: more than one, few enough to create quickly. */
  public static final int DEFAULT_TEST_PARTITIONS = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final Pattern ILLEGAL_TOPIC_CHARACTERS = Pattern.compile("[^a-zA-Z0-9_-]");
  private static final AtomicInteger STARTS = new AtomicInteger();
  private static final AtomicInteger ISOLATED_PREFIXES = new AtomicInteger();
  private static volatile LocalStack current;

  private final LocalKafkaBroker broker;
  private final LocalSchemaRegistry registry;
  private final TopicCatalog topics;

  private LocalStack(LocalKafkaBroker broker, LocalSchemaRegistry registry) {
    this.broker = broker;
    this.registry = registry;
    this.topics = provision(catalogBuilder(TopicCatalog.DEFAULT_PREFIX).build());
  }

  /** Starts the broker, provisions the default topics; called once per JVM by the extension. */
  static LocalStack start() {
    STARTS.incrementAndGet();
    LocalServices services =
        LocalServices.start(
            LocalKafkaBrokerConfig.defaults(), LocalSchemaRegistryConfig.builder().build());
    try {
      LocalStack stack = new LocalStack(services.broker(), services.registry());
      LOG.info(
          "Local stack ready: Kafka at {} in {} ms, schema registry at {} in {} ms",
          stack.broker.bootstrapServers(),
          stack.broker.lastStartDuration().orElseThrow().toMillis(),
          stack.registry.url(),
          stack.registry.startDuration().toMillis());
      current = stack;
      return stack;
    } catch (RuntimeException e) {
      services.close();
      throw e;
    }
  }

  /**
   * The stack of this JVM.
   *
   * @throws IllegalStateException when no test class with {@link WithLocalStack} has started it
   */
  public static LocalStack current() {
    LocalStack stack = current;
    if (stack == null) {
      throw new IllegalStateException(
          "No local stack runs in this JVM: annotate the test class with @WithLocalStack.");
    }
    return stack;
  }

  /** How many stacks this JVM has started; one, unless test classes broke the sharing. */
  public static int startsInThisJvm() {
    return STARTS.get();
  }

  /** {@code host:port} of the broker. */
  public String bootstrapServers() {
    return broker.bootstrapServers();
  }

  /** Base URL of the schema registry's Confluent-compatible API. */
  public String schemaRegistryUrl() {
    return registry.url();
  }

  /** A new client of the schema registry. */
  public SchemaRegistryClient registryClient() {
    return HttpSchemaRegistryClient.forUrl(registry.url());
  }

  /**
   * The broker itself, for tests that stop or restart it (it comes back on the same address with
   * its data). Every test class of the JVM shares it: restart it only between tests, never close
   * it.
   */
  public LocalKafkaBroker broker() {
    return broker;
  }

  /** The pipeline's topics under the default prefix, provisioned. Shared by all tests. */
  public TopicCatalog topics() {
    return topics;
  }

  /**
   * The pipeline's topics under a prefix no other caller gets, provisioned, with {@link
   * #DEFAULT_TEST_PARTITIONS} partitions each.
   *
   * @param owner names the prefix for people reading topic lists, for example the test class
   */
  public TopicCatalog isolatedTopics(String owner) {
    return isolatedTopics(owner, UnaryOperator.identity());
  }

  /** As {@link #isolatedTopics(String)}, with changes to the catalog (partitions, configs). */
  public TopicCatalog isolatedTopics(String owner, UnaryOperator<TopicCatalog.Builder> changes) {
    String prefix =
        "test-"
            + ISOLATED_PREFIXES.incrementAndGet()
            + "-"
            + ILLEGAL_TOPIC_CHARACTERS
                .matcher(Objects.requireNonNull(owner, "owner"))
                .replaceAll("-")
            + ".";
    return provision(changes.apply(catalogBuilder(prefix)).build());
  }

  /** Client properties that reach the broker; add serializers, group ids and so on. */
  public Map<String, Object> clientProperties() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
  }

  /** A new admin client of the broker; the caller closes it. */
  public Admin newAdmin() {
    return Admin.create(clientProperties());
  }

  /** Stops the broker; called by JUnit when the test run ends. */
  @Override
  public void close() {
    current = null;
    try {
      registry.close();
    } finally {
      broker.close();
    }
  }

  private TopicCatalog provision(TopicCatalog catalog) {
    try (Admin admin = newAdmin()) {
      new TopicProvisioner(admin).provision(catalog);
    }
    return catalog;
  }

  private static TopicCatalog.Builder catalogBuilder(String prefix) {
    return TopicCatalog.builder()
        .prefix(prefix)
        .replicationFactor(TopicCatalog.replicationFactorFor(1))
        .partitionsOfEveryTopic(DEFAULT_TEST_PARTITIONS);
  }
}
