package io.expertflow.schemas.topics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a cluster's topics match their {@link TopicSpec}s: creates the missing ones, accepts
 * existing ones that match, and reports every mismatch in partitions or cleanup policy.
 *
 * <p>After provisioning it asks for the latest offset of every partition, which waits until each
 * partition has a leader that serves requests: producing right after {@code createTopics} can
 * otherwise lose the first batch (KAFKA-15591).
 *
 * <p>The provisioner uses, but does not own or close, the given {@link Admin}. Calls may come from
 * any thread; concurrent calls for the same topics are safe because creation races are resolved by
 * re-checking the winner's topic.
 */
public final class TopicProvisioner {

  /** How long one provisioning step (list, create, describe, offsets) may take. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final Duration timeout;

  public TopicProvisioner(Admin admin) {
    this(admin, DEFAULT_TIMEOUT);
  }

  public TopicProvisioner(Admin admin, Duration timeout) {
    this.admin = Objects.requireNonNull(admin, "admin");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.toMillis() > Integer.MAX_VALUE) {
      throw new IllegalArgumentException(
          "Provisioning timeout must be positive and under 24 days, got " + timeout + ".");
    }
  }

  /** Provisions every topic of the catalog. */
  public ProvisioningResult provision(TopicCatalog catalog) {
    return provision(catalog.specs());
  }

  /**
   * Creates the missing topics, checks the existing ones and waits until every partition serves.
   *
   * @throws TopicMismatchException when existing topics differ in partitions or cleanup policy
   * @throws TopicProvisioningException when the cluster fails or does not answer in time
   */
  public ProvisioningResult provision(Collection<TopicSpec> specs) {
    Map<String, TopicSpec> byName = byName(specs);
    Set<String> present = await(admin.listTopics(listOptions()).names(), "list topics");
    List<String> created = new ArrayList<>();
    List<String> existing = new ArrayList<>();
    for (String name : byName.keySet()) {
      (present.contains(name) ? existing : created).add(name);
    }
    existing.addAll(create(created, byName));
    created.removeAll(existing);
    verify(existing, byName);
    awaitPartitionLeaders(byName.values());
    if (!created.isEmpty()) {
      LOG.info("Created topics {}", created);
    }
    return new ProvisioningResult(created, existing);
  }

  /** Creates the topics; returns those another client created first. */
  private List<String> create(List<String> names, Map<String, TopicSpec> byName) {
    if (names.isEmpty()) {
      return List.of();
    }
    Map<String, KafkaFuture<Void>> results =
        admin
            .createTopics(
                names.stream().map(name -> byName.get(name).toNewTopic()).toList(),
                new CreateTopicsOptions().timeoutMs(timeoutMs()))
            .values();
    List<String> lostRace = new ArrayList<>();
    for (Map.Entry<String, KafkaFuture<Void>> result : results.entrySet()) {
      try {
        await(result.getValue(), "create topic " + result.getKey());
      } catch (TopicProvisioningException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
        lostRace.add(result.getKey());
      }
    }
    return lostRace;
  }

  private void verify(List<String> names, Map<String, TopicSpec> byName) {
    if (names.isEmpty()) {
      return;
    }
    Map<String, TopicDescription> descriptions =
        await(admin.describeTopics(names).allTopicNames(), "describe topics");
    List<ConfigResource> resources =
        names.stream().map(name -> new ConfigResource(ConfigResource.Type.TOPIC, name)).toList();
    Map<ConfigResource, Config> configs =
        await(admin.describeConfigs(resources).all(), "describe topic configs");
    List<TopicMismatch> mismatches = new ArrayList<>();
    for (String name : names) {
      TopicSpec spec = byName.get(name);
      TopicDescription description = descriptions.get(name);
      int partitions = description.partitions().size();
      if (partitions != spec.partitions()) {
        mismatches.add(
            new TopicMismatch(
                name,
                "partitions",
                Integer.toString(spec.partitions()),
                Integer.toString(partitions)));
      }
      ConfigEntry policy =
          configs
              .get(new ConfigResource(ConfigResource.Type.TOPIC, name))
              .get(TopicConfig.CLEANUP_POLICY_CONFIG);
      String actualPolicy = policy == null ? "(not reported)" : policy.value();
      if (!spec.cleanupPolicy().configValue().equals(actualPolicy)) {
        mismatches.add(
            new TopicMismatch(
                name,
                TopicConfig.CLEANUP_POLICY_CONFIG,
                spec.cleanupPolicy().configValue(),
                actualPolicy));
      }
      int replicas = description.partitions().get(0).replicas().size();
      if (replicas != spec.replicationFactor()) {
        LOG.warn(
            "Topic {} has replication factor {}, the catalog asks for {}; keeping it as it is",
            name,
            replicas,
            spec.replicationFactor());
      }
    }
    if (!mismatches.isEmpty()) {
      throw new TopicMismatchException(mismatches);
    }
  }

  /** The KAFKA-15591 workaround: a served ListOffsets on every partition before producing. */
  private void awaitPartitionLeaders(Collection<TopicSpec> specs) {
    Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
    for (TopicSpec spec : specs) {
      for (int partition = 0; partition < spec.partitions(); partition++) {
        partitions.put(new TopicPartition(spec.name(), partition), OffsetSpec.latest());
      }
    }
    if (partitions.isEmpty()) {
      return;
    }
    // right after creation the admin client's metadata may not know the topics yet: the broker
    // answers UNKNOWN_TOPIC_OR_PARTITION (retriable) and the admin call fails at once, so retry
    // with a short backoff until the provisioning timeout
    long deadline = System.nanoTime() + timeout.toNanos();
    long backoffMs = 50;
    String step = "list latest offsets of " + partitions.size() + " partitions";
    while (true) {
      try {
        await(
            admin.listOffsets(partitions, new ListOffsetsOptions().timeoutMs(timeoutMs())).all(),
            step);
        return;
      } catch (TopicProvisioningException e) {
        if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
          throw e;
        }
        pause(backoffMs, step);
        backoffMs = Math.min(backoffMs * 2, 1_000);
      }
    }
  }

  private static void pause(long millis, String step) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("Interrupted while trying to " + step, e);
    }
  }

  private static Map<String, TopicSpec> byName(Collection<TopicSpec> specs) {
    Map<String, TopicSpec> byName = new LinkedHashMap<>();
    for (TopicSpec spec : specs) {
      TopicSpec previous = byName.put(spec.name(), spec);
      if (previous != null && !previous.equals(spec)) {
        throw new IllegalArgumentException(
            "Two different specs for topic " + spec.name() + ": " + previous + " and " + spec);
      }
    }
    return byName;
  }

  private ListTopicsOptions listOptions() {
    return new ListTopicsOptions().timeoutMs(timeoutMs());
  }

  private int timeoutMs() {
    return (int) timeout.toMillis();
  }

  private <T> T await(KafkaFuture<T> future, String step) {
    try {
      return future.get(timeout.toMillis() + 1_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw new TopicProvisioningException(
          "Could not " + step + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new TopicProvisioningException(
          "Could not " + step + " within " + timeout + "; is the cluster reachable?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TopicProvisioningException("Interrupted while trying to " + step, e);
    }
  }
}
