package io.expertflow.local;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A local Kafka broker (or cluster of nodes) and schema registry, started side by side (each is a
 * child JVM that mostly waits on its own start-up) and stopped together. If either fails to start,
 * the other is stopped and the failure is thrown as it was raised.
 */
public final class LocalServices implements AutoCloseable {
  private final LocalKafkaBroker broker;
  private final LocalKafkaCluster cluster;
  private final LocalSchemaRegistry registry;

  private LocalServices(
      LocalKafkaBroker broker, LocalKafkaCluster cluster, LocalSchemaRegistry registry) {
    this.broker = broker;
    this.cluster = cluster;
    this.registry = registry;
  }

  /** Starts a single-node broker and the registry; returns once both answer. */
  public static LocalServices start(
      LocalKafkaBrokerConfig brokerConfig, LocalSchemaRegistryConfig registryConfig) {
    return start(1, brokerConfig, registryConfig);
  }

  /**
   * Starts {@code brokers} Kafka nodes and the registry; returns once all answer. One node is a
   * {@link LocalKafkaBroker}, as {@link #start(LocalKafkaBrokerConfig, LocalSchemaRegistryConfig)}
   * gives; more are a {@link LocalKafkaCluster} with {@code brokerConfig} as every node's template.
   */
  public static LocalServices start(
      int brokers, LocalKafkaBrokerConfig brokerConfig, LocalSchemaRegistryConfig registryConfig) {
    if (brokers < 1) {
      throw new IllegalArgumentException("brokers must be at least 1, got " + brokers + ".");
    }
    CompletableFuture<LocalSchemaRegistry> registry =
        CompletableFuture.supplyAsync(() -> LocalSchemaRegistry.start(registryConfig));
    LocalKafkaBroker broker = null;
    LocalKafkaCluster cluster = null;
    try {
      if (brokers == 1) {
        broker = LocalKafkaBroker.start(brokerConfig);
      } else {
        cluster = LocalKafkaCluster.start(brokers, brokerConfig);
      }
    } catch (RuntimeException e) {
      registry.thenAccept(LocalSchemaRegistry::close);
      throw e;
    }
    try {
      return new LocalServices(broker, cluster, registry.join());
    } catch (CompletionException e) {
      if (broker != null) {
        broker.close();
      } else {
        cluster.close();
      }
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  /**
   * The single broker.
   *
   * @throws IllegalStateException when the services run a cluster; see {@link #cluster()}
   */
  public LocalKafkaBroker broker() {
    if (broker == null) {
      throw new IllegalStateException(
          "These services run a cluster of "
              + cluster.size()
              + " Kafka nodes, not a single broker; use cluster().");
    }
    return broker;
  }

  /** The cluster, when more than one node was asked for. */
  public Optional<LocalKafkaCluster> cluster() {
    return Optional.ofNullable(cluster);
  }

  /** How many Kafka nodes run. */
  public int brokers() {
    return cluster != null ? cluster.size() : 1;
  }

  /** Every Kafka node's {@code host:port}, comma-separated. */
  public String bootstrapServers() {
    return cluster != null ? cluster.bootstrapServers() : broker.bootstrapServers();
  }

  public LocalSchemaRegistry registry() {
    return registry;
  }

  /** Stops the registry, then Kafka. */
  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      if (cluster != null) {
        cluster.close();
      } else {
        broker.close();
      }
    }
  }
}
