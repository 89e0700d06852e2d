package io.expertflow.schemas.topics;

import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.DescribeConfigsOptions;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The catalogue's view of one cluster: how many brokers it has, how its topics look ({@link
 * #plan}), and creation of the missing ones ({@link #create}). Existing topics are only read, never
 * changed. Every failure is a {@link TopicProvisioningException} that names the cluster and what to
 * do (see {@link AdminFailures}).
 *
 * <p>Uses, but does not own or close, the given {@link Admin}. Not for concurrent use.
 */
public final class TopicAdmin {

  private final Admin admin;
  private final Duration timeout;
  private final AdminFailures failures;

  /**
   * @param bootstrapServers the cluster's address, for messages
   * @param timeout how long one request may take
   */
  public TopicAdmin(Admin admin, String bootstrapServers, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("The timeout must be positive, got " + timeout + ".");
    }
    this.failures = new AdminFailures(bootstrapServers, timeout);
  }

  /** The number of brokers the cluster reports. */
  public int brokerCount() {
    return await(
            admin.describeCluster(new DescribeClusterOptions().timeoutMs(timeoutMs())).nodes(),
            AdminFailures.DESCRIBE_CLUSTER)
        .size();
  }

  /** The catalogue compared with the cluster's topics of the same names. */
  public TopicPlan plan(Collection<TopicSpec> specs) {
    return TopicPlan.compare(specs, describe(specs.stream().map(TopicSpec::name).toList()));
  }

  /**
   * The topics of these names that exist, described; absent names do not exist.
   *
   * @throws TopicProvisioningException naming the topics the client may not describe
   */
  public Map<String, TopicState> describe(Collection<String> names) {
    Map<String, KafkaFuture<TopicDescription>> futures =
        admin
            .describeTopics(names, new DescribeTopicsOptions().timeoutMs(timeoutMs()))
            .topicNameValues();
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    Set<String> denied = new TreeSet<>();
    for (String name : names) {
      try {
        found.put(name, get(futures.get(name)));
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          continue;
        }
        if (e.getCause() instanceof TopicAuthorizationException) {
          denied.add(name);
          continue;
        }
        throw failures.explain(AdminFailures.DESCRIBE_TOPICS, e.getCause());
      } catch (java.util.concurrent.TimeoutException e) {
        throw failures.explain(AdminFailures.DESCRIBE_TOPICS, e);
      }
    }
    if (!denied.isEmpty()) {
      throw failures.notAuthorized(AdminFailures.DESCRIBE_TOPICS, denied, null);
    }
    Map<String, Map<String, String>> configs = configs(found.keySet());
    Map<String, TopicState> states = new LinkedHashMap<>();
    found.forEach(
        (name, d) ->
            states.put(
                name,
                new TopicState(
                    name,
                    d.partitions().size(),
                    d.partitions().stream()
                        .mapToInt((TopicPartitionInfo p) -> p.replicas().size())
                        .min()
                        .orElse(0),
                    configs.get(name))));
    return states;
  }

  /**
   * Creates these topics and waits until each partition serves. A topic that another client creates
   * meanwhile is checked like an existing one.
   *
   * @throws TopicMismatchException when such a topic differs from its spec
   */
  public ProvisioningResult create(List<TopicSpec> specs) {
    try {
      return new TopicProvisioner(admin, timeout).provision(specs);
    } catch (TopicMismatchException e) {
      throw e;
    } catch (TopicProvisioningException e) {
      throw failures.explain(AdminFailures.CREATE_TOPICS, e);
    }
  }

  private Map<String, Map<String, String>> configs(Collection<String> names) {
    Map<String, Map<String, String>> out = new LinkedHashMap<>();
    if (names.isEmpty()) {
      return out;
    }
    List<ConfigResource> resources =
        names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
    Map<ConfigResource, KafkaFuture<Config>> futures =
        admin
            .describeConfigs(resources, new DescribeConfigsOptions().timeoutMs(timeoutMs()))
            .values();
    Set<String> denied = new TreeSet<>();
    for (ConfigResource resource : resources) {
      try {
        Map<String, String> values = new LinkedHashMap<>();
        for (ConfigEntry entry : get(futures.get(resource)).entries()) {
          if (entry.value() != null) {
            values.put(entry.name(), entry.value());
          }
        }
        out.put(resource.name(), values);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicAuthorizationException)) {
          throw failures.explain(AdminFailures.DESCRIBE_CONFIGS, e.getCause());
        }
        denied.add(resource.name());
      } catch (java.util.concurrent.TimeoutException e) {
        throw failures.explain(AdminFailures.DESCRIBE_CONFIGS, e);
      }
    }
    if (!denied.isEmpty()) {
      throw failures.notAuthorized(AdminFailures.DESCRIBE_CONFIGS, denied, null);
    }
    return out;
  }

  private <T> T await(KafkaFuture<T> future, AdminFailures.Step step) {
    try {
      return get(future);
    } catch (ExecutionException e) {
      throw failures.explain(step, e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw failures.explain(step, e);
    }
  }

  private <T> T get(KafkaFuture<T> future)
      throws ExecutionException, java.util.concurrent.TimeoutException {
    try {
      return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("Interrupted while waiting for Kafka", e);
    }
  }

  private int timeoutMs() {
    return (int) timeout.toMillis();
  }
}
