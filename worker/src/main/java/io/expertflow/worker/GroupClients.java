package io.expertflow.worker;

import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka clients of the consumer-group worker, how they are set up ({@link ClientSettings}) and
 * how they are closed.
 *
 * <p>Threading: the clients are used by the worker's poll thread only, except {@link
 * Consumer#wakeup()}; {@link #close()} runs on the poll thread when the loop ends.
 */
final class GroupClients implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupClients.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final Consumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;

  /**
   * @param base connection settings for both clients (bootstrap servers, security)
   * @param transactional whether the producer is transactional (exactly-once mode)
   */
  GroupClients(
      WorkerConfig config,
      Map<String, Object> base,
      boolean transactional,
      DeliveryClients clients) {
    this.consumer = clients.consumer(ClientSettings.consumer(config, base));
    this.producer = clients.producer(ClientSettings.producer(config, base, transactional));
  }

  Consumer<byte[], byte[]> consumer() {
    return consumer;
  }

  Producer<byte[], byte[]> producer() {
    return producer;
  }

  /** Closes both clients, each at most 5 s; a failure is logged, never thrown. */
  @Override
  public void close() {
    try {
      // a static member stays in its group on close unless told otherwise: a stopped worker's
      // partitions should move at once, not after the session timeout
      consumer.close(
          CloseOptions.timeout(CLOSE_TIMEOUT)
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } catch (RuntimeException e) {
      LOG.warn("closing the consumer failed: {}", e.toString());
    }
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("closing the producer failed: {}", e.toString());
    }
  }
}
