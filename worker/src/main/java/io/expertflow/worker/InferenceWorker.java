package io.expertflow.worker;

import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.tracing.Tracing;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's delivery loop in consumer-group mode (exactly-once or at-least-once).
 *
 * <p>Threading: {@link #run()} runs the loop on the calling thread, which alone touches the
 * consumer and the producer's transactions. The processor's futures complete on any thread and only
 * enqueue their outcome; the loop picks outcomes up as they come, in any order, and produces them
 * with the offsets to commit (one transaction per {@link WorkerConfig#commitInterval()} in
 * exactly-once mode): each partition's first record not answered yet, with the records answered
 * beyond it named in the commit's metadata ({@link AnsweredOffsets}) and skipped by the partition's
 * next reader. So a high-priority document is answered when it is done, not when the documents
 * before it in its partition are. {@link #close()} may be called from any thread: it stops polling,
 * drains in-flight work for at most {@link WorkerConfig#drainTimeout()} and commits it.
 *
 * <p>Its parts: {@link RecordIntake} takes polled records through the {@link DeliverySkeleton}
 * (shared with the share-group loop: decoding, processing, outcome records, registry outages),
 * {@link PartitionLedger} keeps each partition's in-flight and completed offsets, {@link
 * OutcomeCommitter} produces the completed outcomes and commits the offsets, {@link Backpressure}
 * bounds in-flight work, {@link GroupClients} sets up and closes the Kafka clients.
 *
 * <p>Schema registry outages: a record whose writer schema cannot be fetched because the registry
 * does not answer is not dead-lettered. Its partition is rewound to it, fetching pauses for a
 * backoff ({@link RegistryOutage}), the worker reports not ready, and the record is read again when
 * the backoff ends; outcomes whose schema cannot be registered wait, uncommitted, likewise. Work
 * already taken whose schemas are known goes on and is committed meanwhile.
 */
public final class InferenceWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InferenceWorker.class);

  private final WorkerConfig config;
  private final WorkerListener listener;
  private final boolean transactional;
  private final GroupClients clients;
  private final Consumer<byte[], byte[]> consumer;
  private final RecordIntake intake;
  private final String requestsTopic;

  private final PartitionLedger ledger = new PartitionLedger();
  private final Queue<PendingRecord> completions = new ConcurrentLinkedQueue<>();
  private final RegistryOutage registryOutage;
  private final Backpressure backpressure;
  private final OutcomeCommitter committer;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ready;

  /**
   * @param kafkaProperties connection settings for both clients (bootstrap servers, security)
   */
  public InferenceWorker(
      WorkerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      WorkerListener listener,
      Clock clock) {
    this(config, kafkaProperties, registry, processor, listener, clock, Tracing.off());
  }

  /** As above; {@code tracing} writes a span per commit, linked to the requests it carries. */
  public InferenceWorker(
      WorkerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      WorkerListener listener,
      Clock clock,
      Tracing tracing) {
    this(
        config,
        kafkaProperties,
        registry,
        processor,
        listener,
        clock,
        DeliveryClients.KAFKA,
        new RegistryOutage(config.workerId()),
        tracing);
  }

  /** A worker on the clients {@code clients} makes, with its registry state in {@code outage}. */
  InferenceWorker(
      WorkerConfig config,
      Map<String, Object> kafkaProperties,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      WorkerListener listener,
      Clock clock,
      DeliveryClients clients,
      RegistryOutage outage,
      Tracing tracing) {
    if (config.deliveryMode() == DeliveryMode.SHARE_GROUP) {
      throw new IllegalArgumentException("share-group mode is run by ShareGroupWorker");
    }
    this.config = config;
    this.listener = listener;
    this.transactional = config.deliveryMode() == DeliveryMode.EXACTLY_ONCE;
    this.requestsTopic = config.topic("requests");
    DeliverySkeleton skeleton = new DeliverySkeleton(config, registry, processor, clock, outage);
    this.registryOutage = outage;
    this.backpressure = new Backpressure(config.maxInFlight(), listener);
    this.intake = new RecordIntake(skeleton, ledger, completions);
    this.clients = new GroupClients(config, kafkaProperties, transactional, clients);
    this.consumer = this.clients.consumer();
    this.committer =
        new OutcomeCommitter(
            config.commitInterval(),
            transactional,
            this.clients.producer(),
            consumer,
            skeleton.outcomes(),
            listener,
            tracing);
  }

  /**
   * True once the worker has joined its group and can take work, and while the schema registry
   * answers (for /readyz).
   */
  public boolean isReady() {
    return ready && running && !registryOutage.active();
  }

  /** The schema registry's state as this worker sees it. */
  public RegistryOutage registryOutage() {
    return registryOutage;
  }

  /** Documents polled and not yet committed. */
  public int inFlight() {
    return ledger.inFlight();
  }

  @Override
  public void run() {
    try {
      if (transactional) {
        clients.producer().initTransactions();
      }
      consumer.subscribe(List.of(requestsTopic), new Rebalance());
      LOG.info(
          "worker {} consuming {} in {} mode",
          config.workerId(),
          requestsTopic,
          config.deliveryMode());
      while (running) {
        pollOnce();
      }
      drain();
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
      drain();
    } catch (ProducerFencedException
        | InvalidProducerEpochException
        | FencedInstanceIdException e) {
      LOG.error(
          "worker {} was fenced by a newer instance with the same worker.id; stopping: {}",
          config.workerId(),
          e.getMessage());
      throw e;
    } finally {
      ready = false;
      clients.close();
      stopped.countDown();
    }
  }

  private void pollOnce() {
    Duration timeout = ledger.inFlight() > 0 ? Duration.ofMillis(5) : Duration.ofMillis(100);
    var records = consumer.poll(timeout);
    ready = true;
    if (!records.isEmpty()) {
      listener.polled(records.count());
    }
    // records that wait for the schema registry are read again once it answers
    intake.acceptAll(records).forEach(consumer::seek);
    collectCompletions();
    committer.commitIfDue(ledger);
    flowControl();
  }

  /** Hands the outcomes completed since the last call to the ledger; stale ones are dropped. */
  private void collectCompletions() {
    PendingRecord p;
    while ((p = completions.poll()) != null) {
      ledger.complete(p);
    }
  }

  /**
   * Pauses fetching while in-flight work is above its bound ({@link Backpressure}) and while a
   * registry outage's backoff runs; resumes when neither holds.
   */
  private void flowControl() {
    boolean overloaded = backpressure.update(ledger.inFlight());
    if (overloaded || registryOutage.holding()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void drain() {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (ledger.inFlight() > 0 && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(10));
      collectCompletions();
      committer.commit(ledger);
    }
    collectCompletions();
    committer.commit(ledger);
    if (ledger.inFlight() > 0) {
      LOG.warn(
          "worker {} stopped with {} documents unfinished; their offsets were not committed, so"
              + " they will be processed again",
          config.workerId(),
          ledger.inFlight());
    } else {
      LOG.info(
          "worker {} stopped: every document it took has its response or dead letter, committed",
          config.workerId());
    }
  }

  /** Stops the loop (from any thread), waits for it to drain and close, at most drain + 10 s. */
  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      stopped.await(config.drainTimeout().toMillis() + 10_000, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Commits what is done before partitions go, and forgets the rest. Runs inside poll. */
  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      collectCompletions();
      committer.commit(ledger);
      ledger.forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      ledger.forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      int ahead = ledger.assign(partitions, consumer.committed(Set.copyOf(partitions)));
      if (ahead > 0) {
        LOG.info(
            "worker {} assigned {}; {} records answered ahead of the committed offsets will be"
                + " skipped",
            config.workerId(),
            partitions,
            ahead);
      } else {
        LOG.info("worker {} assigned {}", config.workerId(), partitions);
      }
    }
  }
}
