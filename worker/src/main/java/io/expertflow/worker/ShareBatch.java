package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ShareConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the records of one share-group poll until each is acknowledged: takes them through the
 * {@link DeliverySkeleton} together (so they batch), produces their outcomes, flushes, and
 * acknowledges each one ACCEPT once its outcome is written, or RELEASE (redelivery) if it could not
 * be. A record on its {@link WorkerConfig#shareDeliveryLimit()}-th delivery is dead-lettered {@code
 * DELIVERY_LIMIT} without being run again.
 *
 * <p>Records that wait for the schema registry (their writer schema, or their outcome's schema) are
 * held, unacknowledged, and tried again after each backoff of the {@link RegistryOutage} until the
 * registry answers; releasing them would count a delivery each time and could end them at the
 * delivery limit. The loop does not poll meanwhile (a share consumer in explicit mode may not poll
 * with records unacknowledged). Held records are released only if the worker stops.
 *
 * <p>Threading: used by the share-group loop's thread only, which alone uses the consumer.
 */
final class ShareBatch {
  private static final Logger LOG = LoggerFactory.getLogger(ShareBatch.class);
  private static final Duration SHORTEST_WAIT = Duration.ofMillis(10);

  private final int deliveryLimit;
  private final DeliverySkeleton skeleton;
  private final ShareConsumer<byte[], byte[]> consumer;
  private final Producer<byte[], byte[]> producer;
  private final WorkerListener listener;

  ShareBatch(
      int deliveryLimit,
      DeliverySkeleton skeleton,
      ShareConsumer<byte[], byte[]> consumer,
      Producer<byte[], byte[]> producer,
      WorkerListener listener) {
    this.deliveryLimit = deliveryLimit;
    this.skeleton = skeleton;
    this.consumer = consumer;
    this.producer = producer;
    this.listener = listener;
  }

  /** Waits before records that wait for the registry are tried again. */
  interface RetryWait {
    /**
     * @return false if the worker is stopping and should not try again
     */
    boolean await(Duration backoff);
  }

  /** Delivers {@code records}; returns once every one of them is acknowledged. */
  void deliver(Iterable<ConsumerRecord<byte[], byte[]>> records, RetryWait wait) {
    List<ConsumerRecord<byte[], byte[]>> untaken = new ArrayList<>();
    records.forEach(untaken::add);
    List<PendingRecord> unproduced = new ArrayList<>();
    while (true) {
      List<ConsumerRecord<byte[], byte[]>> waiting = new ArrayList<>();
      List<CompletableFuture<PendingRecord>> started = new ArrayList<>();
      for (ConsumerRecord<byte[], byte[]> r : untaken) {
        CompletableFuture<PendingRecord> p = take(r);
        if (p == null) {
          waiting.add(r);
        } else {
          started.add(p);
        }
      }
      started.forEach(p -> unproduced.add(p.join()));
      List<PendingRecord> unwritten = produce(unproduced);
      untaken = waiting;
      unproduced.clear();
      unproduced.addAll(unwritten);
      if (untaken.isEmpty() && unproduced.isEmpty()) {
        return;
      }
      Duration backoff = skeleton.registryOutage().backoff();
      if (!wait.await(backoff.compareTo(SHORTEST_WAIT) < 0 ? SHORTEST_WAIT : backoff)) {
        untaken.forEach(r -> consumer.acknowledge(r, AcknowledgeType.RELEASE));
        unproduced.forEach(p -> consumer.acknowledge(p.record(), AcknowledgeType.RELEASE));
        return;
      }
    }
  }

  /** The record's outcome to come; null if it waits for the registry. */
  private CompletableFuture<PendingRecord> take(ConsumerRecord<byte[], byte[]> r) {
    int deliveries = r.deliveryCount().map(Short::intValue).orElse(1);
    if (deliveries >= deliveryLimit) {
      return CompletableFuture.completedFuture(
          new PendingRecord(
              r,
              DeliverySkeleton.keyOf(r),
              null,
              new Outcome.Rejected(
                  DeadLetterReason.DELIVERY_LIMIT,
                  "delivered "
                      + deliveries
                      + " times (share.delivery.limit="
                      + deliveryLimit
                      + ") and every earlier delivery ended without an answer; the worker"
                      + " processing it probably crashed each time",
                  deliveries)));
    }
    DeliverySkeleton.Taken taken = skeleton.take(r, deliveries);
    if (taken instanceof DeliverySkeleton.Taken.Refused refused) {
      return CompletableFuture.completedFuture(
          new PendingRecord(r, refused.requestId(), null, refused.rejection()));
    }
    if (taken instanceof DeliverySkeleton.Taken.Started s) {
      PendingRecord pending = new PendingRecord(r, s.requestId(), null, null);
      return s.outcome().thenApply(pending::withOutcome);
    }
    return null;
  }

  /**
   * Produces the outcomes, flushes, and acknowledges each record whose outcome was produced.
   *
   * @return the outcomes whose schema the registry could not register now
   */
  private List<PendingRecord> produce(List<PendingRecord> outcomes) {
    List<PendingRecord> waiting = new ArrayList<>();
    List<PendingRecord> sent = new ArrayList<>();
    List<Future<RecordMetadata>> sends = new ArrayList<>();
    for (PendingRecord p : outcomes) {
      try {
        Optional<List<ProducerRecord<byte[], byte[]>>> out = skeleton.toRecords(p);
        if (out.isEmpty()) {
          waiting.add(p);
          continue;
        }
        Future<RecordMetadata> last = null;
        for (ProducerRecord<byte[], byte[]> record : out.get()) {
          last = producer.send(record);
        }
        sent.add(p);
        sends.add(last);
      } catch (RuntimeException e) {
        LOG.warn(
            "could not produce the outcome of {}-{}@{}, releasing it for redelivery: {}",
            p.record().topic(),
            p.record().partition(),
            p.record().offset(),
            Failures.describe(e));
        consumer.acknowledge(p.record(), AcknowledgeType.RELEASE);
      }
    }
    producer.flush();
    for (int i = 0; i < sent.size(); i++) {
      PendingRecord p = sent.get(i);
      boolean written = isWritten(sends.get(i));
      consumer.acknowledge(p.record(), written ? AcknowledgeType.ACCEPT : AcknowledgeType.RELEASE);
      if (written && p.outcome() instanceof Outcome.Answered a) {
        listener.answered(a.response().getStatus(), a.response().getTimings().getTotalMs());
      } else if (written && p.outcome() instanceof Outcome.Rejected rej) {
        listener.deadLettered(rej.reason());
      }
    }
    return waiting;
  }

  private static boolean isWritten(Future<RecordMetadata> send) {
    try {
      send.get();
      return true;
    } catch (ExecutionException e) {
      LOG.warn(
          "producing an outcome failed, releasing the request for redelivery: {}",
          Failures.describe(e));
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }
}
