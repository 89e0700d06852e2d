package io.expertflow.local;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * A local Kafka broker and schema registry, started side by side (each is a child JVM that mostly
 * waits on its own start-up) and stopped together. If either fails to start, the other is stopped
 * and the failure is thrown as it was raised.
 */
public final class LocalServices implements AutoCloseable {
  private final LocalKafkaBroker broker;
  private final LocalSchemaRegistry registry;

  private LocalServices(LocalKafkaBroker broker, LocalSchemaRegistry registry) {
    this.broker = broker;
    this.registry = registry;
  }

  /** Starts both; returns once both answer. */
  public static LocalServices start(
      LocalKafkaBrokerConfig brokerConfig, LocalSchemaRegistryConfig registryConfig) {
    CompletableFuture<LocalSchemaRegistry> registry =
        CompletableFuture.supplyAsync(() -> LocalSchemaRegistry.start(registryConfig));
    LocalKafkaBroker broker;
    try {
      broker = LocalKafkaBroker.start(brokerConfig);
    } catch (RuntimeException e) {
      registry.thenAccept(LocalSchemaRegistry::close);
      throw e;
    }
    try {
      return new LocalServices(broker, registry.join());
    } catch (CompletionException e) {
      broker.close();
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  public LocalKafkaBroker broker() {
    return broker;
  }

  public LocalSchemaRegistry registry() {
    return registry;
  }

  /** Stops the registry, then the broker. */
  @Override
  public void close() {
    try {
      registry.close();
    } finally {
      broker.close();
    }
  }
}
