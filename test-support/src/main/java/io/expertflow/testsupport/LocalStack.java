package io.expertflow.testsupport;

import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
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
 *
 * <p>The JVM's stack is a single broker unless the system property {@value #BROKERS_PROPERTY} asks
 * for more: {@code -Dexpertflow.test.brokers=3} starts a three-node KRaft cluster ({@link
 * #cluster()}) and provisions every topic with three replicas and {@code min.insync.replicas} 2.
 */
public final class LocalStack implements ExtensionContext.Store.CloseableResource {

  /** Partitions of every test topic: more than one, few enough to create quickly. */
  public static final int DEFAULT_TEST_PARTITIONS = 3;

  /** System property: how many Kafka nodes the stack starts; 1 (a single broker) when unset. */
  public static final String BROKERS_PROPERTY = "expertflow.test.brokers";

  private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
  private static final Pattern ILLEGAL_TOPIC_CHARACTERS = Pattern.compile("[^a-zA-Z0-9_-]");
  private static final AtomicInteger STARTS = new AtomicInteger();
  private static final AtomicInteger ISOLATED_PREFIXES = new AtomicInteger();
  private static volatile LocalStack current;

  private final LocalServices services;
  private final TopicCatalog topics;

  private LocalStack(LocalServices services) {
    this.services = services;
    this.topics = provision(catalogBuilder(TopicCatalog.DEFAULT_PREFIX).build());
  }

  /** Starts the broker, provisions the default topics; called once per JVM by the extension. */
  static LocalStack start() {
    STARTS.incrementAndGet();
    LocalServices services =
        LocalServices.start(
            brokersAskedFor(),
            LocalKafkaBrokerConfig.defaults(),
            LocalSchemaRegistryConfig.builder().build());
    try {
      LocalStack stack = new LocalStack(services);
      LOG.info(
          "Local stack ready: Kafka ({} node(s)) at {}, schema registry at {} in {} ms",
          services.brokers(),
          services.bootstrapServers(),
          services.registry().url(),
          services.registry().startDuration().toMillis());
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

  /** {@code host:port} of the broker, or of every node of a cluster, comma-separated. */
  public String bootstrapServers() {
    return services.bootstrapServers();
  }

  /** Base URL of the schema registry's Confluent-compatible API. */
  public String schemaRegistryUrl() {
    return services.registry().url();
  }

  /** A new client of the schema registry. */
  public SchemaRegistryClient registryClient() {
    return HttpSchemaRegistryClient.forUrl(schemaRegistryUrl());
  }

  /**
   * The broker itself, for tests that stop or restart it (it comes back on the same address with
   * its data). Every test class of the JVM shares it: restart it only between tests, never close
   * it.
   *
   * @throws IllegalStateException when the stack runs a cluster ({@value #BROKERS_PROPERTY} above
   *     1); see {@link #cluster()}
   */
  public LocalKafkaBroker broker() {
    if (services.cluster().isPresent()) {
      throw new IllegalStateException(
          "This test JVM's stack runs a cluster of "
              + services.brokers()
              + " Kafka nodes (-D"
              + BROKERS_PROPERTY
              + "="
              + services.brokers()
              + "), not a single broker; use cluster() to stop or restart a node.");
    }
    return services.broker();
  }

  /**
   * The cluster, when {@value #BROKERS_PROPERTY} asked for more than one node, for tests that kill,
   * stop or restart a node. Shared like {@link #broker()}: bring every node back before the test
   * ends, never close it.
   */
  public Optional<LocalKafkaCluster> cluster() {
    return services.cluster();
  }

  /** How many Kafka nodes the stack runs. */
  public int brokers() {
    return services.brokers();
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
    services.close();
  }

  private TopicCatalog provision(TopicCatalog catalog) {
    try (Admin admin = newAdmin()) {
      new TopicProvisioner(admin).provision(catalog);
    }
    return catalog;
  }

  private static int brokersAskedFor() {
    String value = System.getProperty(BROKERS_PROPERTY, "1");
    try {
      int brokers = Integer.parseInt(value.trim());
      if (brokers >= 1) {
        return brokers;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "-D"
            + BROKERS_PROPERTY
            + " must be a whole number of Kafka nodes, 1 or more; got '"
            + value
            + "'.");
  }

  private TopicCatalog.Builder catalogBuilder(String prefix) {
    return TopicCatalog.builder()
        .prefix(prefix)
        .replicationFactor(TopicCatalog.replicationFactorFor(services.brokers()))
        .partitionsOfEveryTopic(DEFAULT_TEST_PARTITIONS);
  }
}
