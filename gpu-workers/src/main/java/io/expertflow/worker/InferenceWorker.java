package io.expertflow.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's delivery loop in consumer-group mode (exactly-once or at-least-once).
 *
 * <p>Threading: {@link #run()} runs the loop on the calling thread, which alone touches the
 * consumer and the producer's transactions. The processor's futures complete on any thread and only
 * enqueue their outcome; the loop picks outcomes up, holds them until their partition's earlier
 * records are done, then produces them and commits their offsets together (one transaction per
 * {@link WorkerConfig#commitInterval()} in exactly-once mode). {@link #close()} may be called from
 * any thread: it stops polling, drains in-flight work for at most {@link
 * WorkerConfig#drainTimeout()} and commits it.
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
  private final DocumentProcessor processor;
  private final WorkerListener listener;
  private final Clock clock;
  private final boolean transactional;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroDeserializer<InferenceRequest> decoder;
  private final OutcomeRecords outcomes;
  private final String requestsTopic;

  private final Map<TopicPartition, Assignment> assignments = new HashMap<>();
  private final Queue<PendingRecord> completions = new ConcurrentLinkedQueue<>();
  private final RegistryOutage registryOutage;
  private final List<PendingRecord> held = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> heldOffsets = new HashMap<>();
  private final CountDownLatch stopped = new CountDownLatch(1);
  private volatile boolean running = true;
  private volatile boolean ready;
  private int inFlight;
  private boolean paused;
  private long lastCommitNanos = System.nanoTime();

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
    if (config.deliveryMode() == DeliveryMode.SHARE_GROUP) {
      throw new IllegalArgumentException("share-group mode is run by ShareGroupWorker");
    }
    this.config = config;
    this.processor = processor;
    this.listener = listener;
    this.clock = clock;
    this.transactional = config.deliveryMode() == DeliveryMode.EXACTLY_ONCE;
    this.requestsTopic = config.topic("requests");
    this.registryOutage = new RegistryOutage(config.workerId());
    SchemaRegistryClient observed = new ObservedRegistryClient(registry, registryOutage);
    this.decoder = new AvroDeserializer<>(observed, InferenceRequest.class);
    this.outcomes = new OutcomeRecords(config, observed, clock);
    this.consumer =
        new KafkaConsumer<>(
            consumerProps(kafkaProperties),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    this.producer =
        new KafkaProducer<>(
            producerProps(kafkaProperties), new ByteArraySerializer(), new ByteArraySerializer());
  }

  private Map<String, Object> consumerProps(Map<String, Object> base) {
    Map<String, Object> p = new HashMap<>(base);
    p.putAll(config.kafkaOverrides());
    p.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    p.putIfAbsent(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    p.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-consumer");
    if (config.staticMembership()) {
      p.putIfAbsent(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, config.workerId());
    }
    return p;
  }

  private Map<String, Object> producerProps(Map<String, Object> base) {
    Map<String, Object> p = new HashMap<>(base);
    p.putAll(config.kafkaOverrides());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    p.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, config.workerId() + "-producer");
    if (transactional) {
      p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "expertflow-worker-" + config.workerId());
      p.put(
          ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, (int) config.transactionTimeout().toMillis());
    }
    return p;
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
    return inFlight;
  }

  @Override
  public void run() {
    try {
      if (transactional) {
        producer.initTransactions();
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
      closeClients();
      stopped.countDown();
    }
  }

  private void pollOnce() {
    Duration timeout = inFlight > 0 ? Duration.ofMillis(5) : Duration.ofMillis(100);
    var records = consumer.poll(timeout);
    ready = true;
    if (!records.isEmpty()) {
      listener.polled(records.count());
    }
    Set<TopicPartition> rewound = new HashSet<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (!rewound.contains(tp) && !accept(r, tp)) {
        consumer.seek(tp, r.offset()); // read it again once the registry answers
        rewound.add(tp);
      }
    }
    collectCompletions();
    long sinceCommit = System.nanoTime() - lastCommitNanos;
    if (sinceCommit >= config.commitInterval().toNanos()) {
      commit();
    }
    flowControl();
  }

  /**
   * Takes a polled record into work.
   *
   * @return false if the record waits for the schema registry: it was not taken, and the caller
   *     must read its partition again from it
   */
  private boolean accept(ConsumerRecord<byte[], byte[]> r, TopicPartition tp) {
    Assignment a = assignments.get(tp);
    if (a == null) {
      return true; // polled just before a revocation; its new owner reads it again
    }
    InferenceRequest request;
    try {
      request = decoder.deserialize(r.topic(), r.value());
    } catch (WireFormatException e) {
      track(a, r);
      complete(new PendingRecord(r, null, a, Failures.toRejection(e, 1)));
      return true;
    } catch (SerializationException e) {
      if (Failures.isRegistryUnavailable(e)) {
        return false;
      }
      throw e;
    }
    track(a, r);
    if (request == null) {
      complete(
          new PendingRecord(
              r,
              keyOf(r),
              a,
              new Outcome.Rejected(
                  io.expertflow.avro.DeadLetterReason.UNDECODABLE,
                  "record has no value (a tombstone on the requests topic)",
                  1)));
      return true;
    }
    PendingRecord pending = new PendingRecord(r, request.getRequestId(), a, null);
    RequestContext context =
        new RequestContext(
            r.topic(),
            r.partition(),
            r.offset(),
            clock.millis(),
            header(r, OutcomeRecords.TRACEPARENT));
    CompletableFuture<Outcome> future;
    try {
      future = processor.process(request, context);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    future.whenComplete(
        (outcome, failure) ->
            completions.add(
                pending.withOutcome(failure == null ? outcome : Failures.toRejection(failure, 1))));
    return true;
  }

  private void track(Assignment a, ConsumerRecord<byte[], byte[]> r) {
    a.progress.track(r.offset());
    inFlight++;
  }

  private void complete(PendingRecord p) {
    completions.add(p);
  }

  private void collectCompletions() {
    PendingRecord p;
    while ((p = completions.poll()) != null) {
      TopicPartition tp = new TopicPartition(p.record().topic(), p.record().partition());
      Assignment a = assignments.get(tp);
      if (a == null || a != p.assignment()) {
        continue; // revoked or reset since it was polled
      }
      if (a.progress.complete(p.record().offset(), p)) {
        a.done++;
      }
    }
  }

  /**
   * Produces the completed prefix of every partition and commits its offsets. Outcomes whose
   * schemas cannot be registered while the registry is down stay held, uncommitted, for the next
   * commit.
   */
  private void commit() {
    lastCommitNanos = System.nanoTime();
    for (Map.Entry<TopicPartition, Assignment> e : assignments.entrySet()) {
      List<PendingRecord> prefix = e.getValue().progress.drainContiguous();
      if (!prefix.isEmpty()) {
        held.addAll(prefix);
        heldOffsets.put(e.getKey(), new OffsetAndMetadata(e.getValue().progress.nextOffset()));
      }
    }
    if (heldOffsets.isEmpty()) {
      return;
    }
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(held.size());
    try {
      for (PendingRecord p : held) {
        out.addAll(outcomes.toRecords(p));
      }
    } catch (SerializationException e) {
      if (!Failures.isRegistryUnavailable(e)) {
        throw e;
      }
      return; // held for the next commit
    }
    List<PendingRecord> released = List.copyOf(held);
    Map<TopicPartition, OffsetAndMetadata> offsets = Map.copyOf(heldOffsets);
    held.clear();
    heldOffsets.clear();
    long start = System.nanoTime();
    try {
      if (transactional) {
        producer.beginTransaction();
        out.forEach(producer::send);
        producer.sendOffsetsToTransaction(offsets, consumer.groupMetadata());
        producer.commitTransaction();
      } else {
        out.forEach(producer::send);
        producer.flush();
        consumer.commitSync(offsets);
      }
    } catch (ProducerFencedException
        | InvalidProducerEpochException
        | FencedInstanceIdException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.warn(
          "commit of {} records failed ({}); aborting and re-reading from the last committed offsets",
          released.size(),
          Failures.describe(e));
      listener.aborted(e);
      if (transactional) {
        producer.abortTransaction();
      }
      rewindToCommitted();
      return;
    }
    inFlight -= released.size();
    for (PendingRecord p : released) {
      if (p.outcome() instanceof Outcome.Answered a) {
        listener.answered(a.response().getStatus(), a.response().getTimings().getTotalMs());
      } else if (p.outcome() instanceof Outcome.Rejected r) {
        listener.deadLettered(r.reason());
      }
    }
    listener.committed(released.size(), System.nanoTime() - start);
  }

  /** After a failed commit: forget in-flight work and read again from the committed offsets. */
  private void rewindToCommitted() {
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assignments.keySet());
    for (TopicPartition tp : List.copyOf(assignments.keySet())) {
      OffsetAndMetadata o = committed.get(tp);
      if (o != null) {
        consumer.seek(tp, o.offset());
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
      assignments.put(tp, new Assignment());
    }
    held.clear();
    heldOffsets.clear();
    inFlight = 0;
  }

  /**
   * Pauses fetching while in-flight work is above its bound (resuming below half of it) and while a
   * registry outage's backoff runs; resumes when neither holds.
   */
  private void flowControl() {
    if (!paused && inFlight >= config.maxInFlight()) {
      paused = true;
      listener.paused(inFlight);
    } else if (paused && inFlight <= config.maxInFlight() / 2) {
      paused = false;
      listener.resumed(inFlight);
    }
    if (paused || registryOutage.holding()) {
      consumer.pause(consumer.assignment());
    } else if (!consumer.paused().isEmpty()) {
      consumer.resume(consumer.paused());
    }
  }

  private void drain() {
    consumer.pause(consumer.assignment());
    long deadline = System.nanoTime() + config.drainTimeout().toNanos();
    while (inFlight > 0 && System.nanoTime() < deadline) {
      consumer.poll(Duration.ofMillis(10));
      collectCompletions();
      commit();
    }
    collectCompletions();
    commit();
    if (inFlight > 0) {
      LOG.warn(
          "worker {} stopped with {} documents unfinished; their offsets were not committed, so"
              + " they will be processed again",
          config.workerId(),
          inFlight);
    }
  }

  private void closeClients() {
    try {
      // a static member stays in its group on close unless told otherwise: a stopped worker's
      // partitions should move at once, not after the session timeout
      consumer.close(
          CloseOptions.timeout(Duration.ofSeconds(5))
              .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
    } catch (RuntimeException e) {
      LOG.warn("closing the consumer failed: {}", e.toString());
    }
    try {
      producer.close(Duration.ofSeconds(5));
    } catch (RuntimeException e) {
      LOG.warn("closing the producer failed: {}", e.toString());
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

  private static String header(ConsumerRecord<byte[], byte[]> r, String name) {
    Header h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  private static String keyOf(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  private final class Rebalance implements ConsumerRebalanceListener {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      collectCompletions();
      commit();
      forget(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      forget(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        assignments.put(tp, new Assignment());
      }
      LOG.info("worker {} assigned {}", config.workerId(), partitions);
    }

    private void forget(Collection<TopicPartition> partitions) {
      for (TopicPartition tp : partitions) {
        Assignment a = assignments.remove(tp);
        if (a != null) {
          inFlight -= a.progress.inFlight();
        }
        heldOffsets.remove(tp);
      }
      int before = held.size();
      held.removeIf(
          p -> partitions.contains(new TopicPartition(p.record().topic(), p.record().partition())));
      inFlight -= before - held.size(); // uncommitted: their partitions' next owner reads them
    }
  }

  /** Progress of one assigned partition; a new object per assignment. */
  private static final class Assignment {
    final PartitionProgress<PendingRecord> progress = new PartitionProgress<>();
    long done;
  }
}
