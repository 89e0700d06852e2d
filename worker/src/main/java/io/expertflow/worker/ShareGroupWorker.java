package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's delivery loop in share-group mode (Kafka share groups, KIP-932): any number of
 * workers share the partitions of {@code requests}, each record is acknowledged on its own, and a
 * record whose earlier deliveries all ended without an answer is dead-lettered with reason {@code
 * DELIVERY_LIMIT} on its {@link WorkerConfig#shareDeliveryLimit()}-th delivery, without being run
 * again. The worker sets the group's {@code share.delivery.count.limit} to the same value: the
 * broker archives a record after that many deliveries, so its last delivery is the worker's only
 * chance to write the dead letter. At-least-once: a crash after a response was produced but before
 * its acknowledgement redelivers the record.
 *
 * <p>Threading: {@link #run()} owns the share consumer. Each poll's records are submitted to the
 * processor together (so they batch), their outputs produced and flushed, then every record is
 * acknowledged (explicit mode) and committed before the next poll.
 */
public final class ShareGroupWorker implements Runnable, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ShareGroupWorker.class);

  private final WorkerConfig config;
  private final Map<String, Object> kafkaProperties;
  private final DocumentProcessor processor;
  private final WorkerListener listener;
  private final Clock clock;
  private final KafkaShareConsumer<byte[], byte[]> consumer;
  private final KafkaProducer<byte[], byte[]> producer;
  private final AvroDeserializer<InferenceRequest> decoder;
  private final OutcomeRecords outcomes;
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
    this.config = config;
    this.kafkaProperties = Map.copyOf(kafkaProperties);
    this.processor = processor;
    this.listener = listener;
    this.clock = clock;
    this.decoder = new AvroDeserializer<>(registry, InferenceRequest.class);
    this.outcomes = new OutcomeRecords(config, registry, clock);
    Map<String, Object> c = new HashMap<>(kafkaProperties);
    c.putAll(config.kafkaOverrides());
    c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
    c.put("share.acknowledgement.mode", "explicit");
    c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
    c.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, config.workerId() + "-share-consumer");
    this.consumer =
        new KafkaShareConsumer<>(c, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    Map<String, Object> p = new HashMap<>(kafkaProperties);
    p.putAll(config.kafkaOverrides());
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }

  public boolean isReady() {
    return ready && running;
  }

  @Override
  public void run() {
    try {
      configureGroup();
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
        handle(records);
        consumer.commitSync(Duration.ofSeconds(30));
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      ready = false;
      try {
        consumer.close(Duration.ofSeconds(5));
      } finally {
        producer.close(Duration.ofSeconds(5));
        stopped.countDown();
      }
    }
  }

  /**
   * A new share group starts at the latest offset unless told otherwise, and workers want every
   * request; the broker's delivery limit must equal the worker's so the last delivery reaches it.
   */
  private void configureGroup() {
    try (Admin admin = Admin.create(kafkaProperties)) {
      setGroupConfig(
          admin,
          "share.auto.offset.reset",
          "earliest",
          "requests produced before the group first started may be skipped");
      setGroupConfig(
          admin,
          "share.delivery.count.limit",
          String.valueOf(config.shareDeliveryLimit()),
          "the broker may archive a record that keeps failing before the worker can dead-letter"
              + " it; set the broker's group.share.delivery.count.limit to share.delivery.limit");
    }
  }

  private void setGroupConfig(Admin admin, String key, String value, String consequence) {
    ConfigResource group = new ConfigResource(ConfigResource.Type.GROUP, config.groupId());
    try {
      admin
          .incrementalAlterConfigs(
              Map.of(
                  group,
                  List.of(
                      new AlterConfigOp(new ConfigEntry(key, value), AlterConfigOp.OpType.SET))))
          .all()
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn(
          "could not set {}={} on share group {} ({}); {}",
          key,
          value,
          config.groupId(),
          Failures.describe(e),
          consequence);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    List<ConsumerRecord<byte[], byte[]>> polled = new ArrayList<>();
    List<CompletableFuture<PendingRecord>> results = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      polled.add(r);
      results.add(process(r));
    }
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    List<PendingRecord> done = new ArrayList<>();
    for (int i = 0; i < polled.size(); i++) {
      PendingRecord p = results.get(i).join();
      done.add(p);
      sends.add(send(p));
    }
    producer.flush();
    for (int i = 0; i < polled.size(); i++) {
      ConsumerRecord<byte[], byte[]> r = polled.get(i);
      boolean sent = isDone(sends, i);
      consumer.acknowledge(r, sent ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
      if (sent && done.get(i).outcome() instanceof Outcome.Answered a) {
        listener.answered(a.response().getStatus(), a.response().getTimings().getTotalMs());
      } else if (sent && done.get(i).outcome() instanceof Outcome.Rejected rej) {
        listener.deadLettered(rej.reason());
      }
    }
  }

  /**
   * Produces the outcome; null if it could not even be sent (the registry refused its schema, the
   * producer failed): the record is then released for redelivery instead of stopping the loop.
   */
  private Future<RecordMetadata> send(PendingRecord p) {
    try {
      Future<RecordMetadata> sent = null;
      for (ProducerRecord<byte[], byte[]> out : outcomes.toRecords(p)) {
        sent = producer.send(out);
      }
      return sent;
    } catch (RuntimeException e) {
      LOG.warn(
          "could not produce the outcome of {}-{}@{}, releasing it for redelivery: {}",
          p.record().topic(),
          p.record().partition(),
          p.record().offset(),
          Failures.describe(e));
      return null;
    }
  }

  private static boolean isDone(List<Future<RecordMetadata>> sends, int index) {
    if (sends.get(index) == null) {
      return false;
    }
    try {
      sends.get(index).get();
      return true;
    } catch (ExecutionException e) {
      LOG.warn(
          "producing an outcome failed, releasing the request for redelivery: {}",
          e.getCause().toString());
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private CompletableFuture<PendingRecord> process(ConsumerRecord<byte[], byte[]> r) {
    int deliveries = r.deliveryCount().map(Short::intValue).orElse(1);
    String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
    if (deliveries >= config.shareDeliveryLimit()) {
      return CompletableFuture.completedFuture(
          new PendingRecord(
              r,
              key,
              null,
              new Outcome.Rejected(
                  DeadLetterReason.DELIVERY_LIMIT,
                  "delivered "
                      + deliveries
                      + " times (share.delivery.limit="
                      + config.shareDeliveryLimit()
                      + ") and every earlier delivery ended without an answer; the worker"
                      + " processing it probably crashed each time",
                  deliveries)));
    }
    InferenceRequest request;
    try {
      request = decoder.deserialize(r.topic(), r.value());
    } catch (WireFormatException e) {
      return CompletableFuture.completedFuture(
          new PendingRecord(r, key, null, Failures.toRejection(e, deliveries)));
    }
    PendingRecord pending = new PendingRecord(r, request.getRequestId(), null, null);
    RequestContext context = RequestContext.of(r, clock.millis());
    CompletableFuture<Outcome> future;
    try {
      future = processor.process(request, context);
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    int attempts = deliveries;
    return future.handle(
        (o, t) -> pending.withOutcome(t == null ? o : Failures.toRejection(t, attempts)));
  }

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
}
