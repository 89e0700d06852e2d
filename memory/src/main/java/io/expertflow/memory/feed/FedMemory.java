package io.expertflow.memory.feed;

import io.expertflow.memory.DocumentMemory;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's document memory and the feed that keeps it in step with the memory topic, opened
 * and closed together. The component queries {@link #memory()} from any thread; the feed writes.
 */
public final class FedMemory implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FedMemory.class);

  private final DocumentMemory memory;
  private final MemoryFeed feed;
  private final MemorySettings settings;

  private FedMemory(DocumentMemory memory, MemoryFeed feed, MemorySettings settings) {
    this.memory = memory;
    this.feed = feed;
    this.settings = settings;
  }

  /**
   * Opens (or creates) the memory in {@code settings.dir()} for embeddings of {@code dimension}
   * values and starts its feed.
   *
   * @param clientId the feed's Kafka client id and thread name
   * @throws UncheckedIOException when the folder cannot be opened (locked by another process, not
   *     writable)
   * @throws IllegalArgumentException when the folder holds embeddings of another dimension
   */
  public static FedMemory open(
      MemorySettings settings,
      int dimension,
      String clientId,
      String topic,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry) {
    DocumentMemory memory;
    try {
      Files.createDirectories(settings.dir());
      memory = DocumentMemory.open(settings.dir(), settings.index(dimension));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot open the document memory in "
              + settings.dir()
              + " (memory.dir): "
              + e.getMessage()
              + "; each process needs a folder of its own",
          e);
    }
    try {
      MemoryFeed feed =
          MemoryFeed.start(
              clientId, topic, kafkaProperties, registry, memory, settings.retention());
      LOG.info("document memory in {} follows {}", settings.dir(), topic);
      return new FedMemory(memory, feed, settings);
    } catch (RuntimeException e) {
      try {
        memory.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  public DocumentMemory memory() {
    return memory;
  }

  public MemoryFeed feed() {
    return feed;
  }

  public MemorySettings settings() {
    return settings;
  }

  /** Whether queries see the topic as of at least the feed's start, and the feed still follows. */
  public boolean ready() {
    return feed.caughtUp().isDone()
        && !feed.caughtUp().isCompletedExceptionally()
        && feed.running();
  }

  /** Stops the feed, then commits and closes the memory. */
  @Override
  public void close() {
    feed.close();
    try {
      memory.close();
    } catch (IOException e) {
      LOG.warn("closing the document memory in {} failed: {}", settings.dir(), e.toString());
    }
  }
}
