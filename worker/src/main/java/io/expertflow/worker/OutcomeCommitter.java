package io.expertflow.worker;

import io.expertflow.schemas.errors.TransientFailures;
import io.expertflow.schemas.tracing.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.FencedInstanceIdException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The commit step of the consumer-group worker: produces the outcomes a {@link PartitionLedger}
 * releases and commits the offsets (and the metadata naming what was answered ahead of them) after
 * them, in one Kafka transaction in exactly-once mode, or produce-flush-then-commit in
 * at-least-once mode.
 *
 * <p>Outcomes whose schemas cannot be registered while the registry is unavailable stay held in the
 * ledger, uncommitted, for the next commit. A failed commit (other than fencing) is aborted, the
 * ledger is reset and the consumer reads again from the last committed offsets. Fencing by a newer
 * instance with the same worker id is rethrown: this worker must stop.
 *
 * <p>Not thread-safe: called only on the worker's poll thread, which alone uses the consumer and
 * the producer.
 */
final class OutcomeCommitter {
  private static final Logger LOG = LoggerFactory.getLogger(OutcomeCommitter.class);

  private final boolean transactional;
  private final Producer<byte[], byte[]> producer;
  private final Consumer<byte[], byte[]> consumer;
  private final OutcomeRecords outcomes;
  private final WorkerListener listener;
  private final long intervalNanos;
  private final Tracing tracing;
  private long lastCommitNanos = System.nanoTime();

  /**
   * @param interval the time between two commits of {@link #commitIfDue}
   */
  OutcomeCommitter(
      Duration interval,
      boolean transactional,
      Producer<byte[], byte[]> producer,
      Consumer<byte[], byte[]> consumer,
      OutcomeRecords outcomes,
      WorkerListener listener,
      Tracing tracing) {
    this.tracing = tracing;
    this.transactional = transactional;
    this.producer = producer;
    this.consumer = consumer;
    this.outcomes = outcomes;
    this.listener = listener;
    this.intervalNanos = interval.toNanos();
  }

  /** {@link #commit} if the commit interval has passed since the last commit. */
  void commitIfDue(PartitionLedger ledger) {
    if (System.nanoTime() - lastCommitNanos >= intervalNanos) {
      commit(ledger);
    }
  }

  /** Produces and commits the completed outcomes of every partition in {@code ledger}. */
  void commit(PartitionLedger ledger) {
    lastCommitNanos = System.nanoTime();
    List<PendingRecord> held = ledger.holdCompleted();
    if (held.isEmpty()) {
      return;
    }
    List<ProducerRecord<byte[], byte[]>> out = new ArrayList<>(held.size());
    try {
      for (PendingRecord p : held) {
        out.addAll(outcomes.toRecords(p));
      }
    } catch (SerializationException e) {
      if (!TransientFailures.isRegistryUnavailable(e)) {
        throw e;
      }
      return; // held for the next commit
    }
    PartitionLedger.Release release = ledger.takeHeld();
    long start = System.nanoTime();
    Span span = commitSpan(release.records());
    try {
      send(out, release.offsets());
      span.end();
    } catch (ProducerFencedException
        | InvalidProducerEpochException
        | FencedInstanceIdException e) {
      span.recordException(e).setStatus(StatusCode.ERROR).end();
      throw e;
    } catch (KafkaException e) {
      span.recordException(e).setStatus(StatusCode.ERROR, "aborted").end();
      LOG.warn(
          "commit of {} records failed ({}); aborting and re-reading from the last committed offsets",
          release.records().size(),
          Failures.describe(e));
      listener.aborted(e);
      if (transactional) {
        producer.abortTransaction();
      }
      rewindToCommitted(ledger);
      return;
    }
    ledger.committed(release.records().size());
    for (PendingRecord p : release.records()) {
      if (p.outcome() instanceof Outcome.Answered a) {
        listener.answered(a.response().getStatus(), a.response().getTimings().getTotalMs());
      } else if (p.outcome() instanceof Outcome.Rejected r) {
        listener.deadLettered(r.reason());
      }
    }
    listener.committed(release.records().size(), System.nanoTime() - start);
  }

  /**
   * The span of one commit (a transaction in exactly-once mode), linked to the trace of every
   * record it carries: the {@code traceparent} the request record arrived with. Ended when the
   * commit returns (or fails).
   */
  private Span commitSpan(List<PendingRecord> records) {
    if (!tracing.enabled()) {
      return Span.getInvalid();
    }
    SpanBuilder b =
        tracing
            .tracer()
            .spanBuilder("expertflow.commit")
            .setNoParent()
            .setSpanKind(SpanKind.PRODUCER)
            .setAttribute("expertflow.records", (long) records.size())
            .setAttribute("expertflow.transactional", transactional);
    for (PendingRecord p : records) {
      Header trace = p.record().headers().lastHeader(Tracing.TRACEPARENT);
      if (trace != null) {
        Tracing.spanContext(new String(trace.value(), java.nio.charset.StandardCharsets.UTF_8))
            .ifPresent(b::addLink);
      }
    }
    return b.startSpan();
  }

  private void send(
      List<ProducerRecord<byte[], byte[]>> out, Map<TopicPartition, OffsetAndMetadata> offsets) {
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
  }

  /** After a failed commit: forget in-flight work and read again from the committed offsets. */
  private void rewindToCommitted(PartitionLedger ledger) {
    Set<TopicPartition> assigned = ledger.assigned();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
    for (TopicPartition tp : assigned) {
      OffsetAndMetadata o = committed.get(tp);
      if (o != null) {
        consumer.seek(tp, o.offset());
      } else {
        consumer.seekToBeginning(List.of(tp));
      }
    }
    ledger.reset(committed);
  }
}
