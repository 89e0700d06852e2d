package io.expertflow.worker;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's delivery loop in share-group mode (Kafka share groups, KIP-932): any number of
 * workers share the partitions of {@code requests}, each record is acknowledged on its own, and a
 * record whose earlier deliveries all ended without an answer is dead-lettered with reason {@code
 * DELIVERY_LIMIT} on its {@link WorkerConfig#shareDeliveryLimit()}-th delivery, without being run
 * again. The worker sets the group's {@code share.delivery.count.limit} to the same value ({@link
 * ShareGroupSetup}): the broker archives a record after that many deliveries, so its last delivery
 * is the worker's only chance to write the dead letter. At-least-once: a crash after a response was
 * produced but before its acknowledgement redelivers the record.
 *
 * <p>Decoding, processing, outcome records, registry outages and client settings are those of the
 * consumer-group loop ({@link DeliverySkeleton}, {@link ClientSettings}); what is its own is how a
 * poll's records are acknowledged ({@link ShareBatch}).
 *
 * <p>Threading: {@link #run()} owns the share consumer and the producer. Each poll's records are
 * delivered and acknowledged, then committed, before the next poll. {@link #close()} may be called
 * from any thread.
 */
public final class ShareGroupWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShareGroupWorker.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private final WorkerConfig config;
  private final Map<String, Object> kafkaProperties;
  private final DeliveryClients clients;
  private final WorkerListener listener;
  private final RegistryOutage registryOutage;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final ShareBatch batch;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ready;

  public ShareGroupWorker(
      WorkerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      WorkerListener listener,
      Clock clock) {
    this(
        config,
        kafkaProperties,
        registry,
        processor,
        listener,
        clock,
        DeliveryClients.KAFKA,
        new RegistryOutage(config.workerId()));
  }

  /** A worker on the clients {@code clients} makes, with its registry state in {@code outage}. */
  ShareGroupWorker(
      WorkerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      WorkerListener listener,
      Clock clock,
      DeliveryClients clients,
      RegistryOutage outage) {
    this.config = config;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.clients = clients;
    this.listener = listener;
    this.registryOutage = outage;
    DeliverySkeleton skeleton = new DeliverySkeleton(config, registry, processor, clock, outage);
    this.consumer = clients.shareConsumer(ClientSettings.shareConsumer(config, kafkaProperties));
    this.producer = clients.producer(ClientSettings.producer(config, kafkaProperties, false));
    this.batch =
        new ShareBatch(config.shareDeliveryLimit(), skeleton, consumer, producer, listener);
  }

  /** True once the worker polls, and while the schema registry answers (for /readyz). */
  public boolean isReady() {
    return ready && running && !registryOutage.active();
  }

  /** The schema registry's state as this worker sees it. */
  public RegistryOutage registryOutage() {
    return registryOutage;
  }

  @Override
  public void run() {
    try {
      ShareGroupSetup.apply(config, kafkaProperties, clients);
      consumer.subscribe(List.of(config.topic("requests")));
      LOG.info(
          "worker {} consuming {} in share group {}",
          config.workerId(),
          config.topic("requests"),
          config.groupId());
      while (running) {
        var records = consumer.poll(Duration.ofMillis(100));
        ready = true;
        if (records.isEmpty()) {
          continue;
        }
        listener.polled(records.count());
        batch.deliver(records, this::awaitRetry);
        consumer.commitSync(Duration.ofSeconds(30));
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
      commitOnStop();
    } finally {
      ready = false;
      try {
        consumer.close(CLOSE_TIMEOUT);
      } finally {
        producer.close(CLOSE_TIMEOUT);
        stopped.countDown();
      }
    }
  }

  /** Woken in the commit after the last batch: its acknowledgements still go out. */
  private void commitOnStop() {
    try {
      consumer.commitSync(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn(
          "worker {} could not commit its last acknowledgements ({}); those records will be"
              + " delivered again",
          config.workerId(),
          Failures.describe(e));
    }
  }

  /** Waits out a registry backoff; false as soon as the worker is stopping. */
  private boolean awaitRetry(Duration backoff) {
    try {
      return !stopping.await(backoff.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** Stops the loop (from any thread) and waits for it to close, at most drain + 10 s. */
  @Override
  public void close() {
    running = false;
    stopping.countDown();
    consumer.wakeup();
    try {
      stopped.await(config.drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
