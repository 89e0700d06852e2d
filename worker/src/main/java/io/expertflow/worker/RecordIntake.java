package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.errors.TransientFailures;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Takes polled records of the consumer-group worker into work: decodes each one, tracks it in the
 * {@link PartitionLedger}, and hands it to the {@link DocumentProcessor}. A record that cannot be
 * decoded (bad wire format, unknown schema, a tombstone) is tracked with its rejection at once, so
 * it ends as a dead letter in offset order. A record whose schema cannot be fetched because the
 * registry does not answer is not taken at all: no fault of the record.
 *
 * <p>Threading: {@link #accept} runs on the worker's poll thread. Outcomes arrive on {@code
 * completions}, from any thread, exactly once per taken record.
 */
final class RecordIntake {
  private final AvroDeserializer<InferenceRequest> decoder;
  private final DocumentProcessor processor;
  private final PartitionLedger ledger;
  private final Queue<PendingRecord> completions;
  private final Clock clock;

  RecordIntake(
      AvroDeserializer<InferenceRequest> decoder,
      DocumentProcessor processor,
      PartitionLedger ledger,
      Queue<PendingRecord> completions,
      Clock clock) {
    this.decoder = decoder;
    this.processor = processor;
    this.ledger = ledger;
    this.completions = completions;
    this.clock = clock;
  }

  /**
   * Takes the records of one poll into work, in order. Once a record of a partition waits for the
   * schema registry, the partition's later records of this poll are left alone too.
   *
   * @return for each partition with a record that waits, the offset to read it again from
   */
  Map<TopicPartition, Long> acceptAll(Iterable<ConsumerRecord<byte[], byte[]>> records) {
    Map<TopicPartition, Long> rewind = new HashMap<>();
    for (ConsumerRecord<byte[], byte[]> r : records) {
      TopicPartition tp = new TopicPartition(r.topic(), r.partition());
      if (!rewind.containsKey(tp) && !accept(r)) {
        rewind.put(tp, r.offset());
      }
    }
    return rewind;
  }

  /**
   * Takes a polled record into work.
   *
   * @return false if the record waits for the schema registry: it was not taken, and the caller
   *     must read its partition again from it
   */
  boolean accept(ConsumerRecord<byte[], byte[]> r) {
    if (!ledger.isAssigned(new TopicPartition(r.topic(), r.partition()))) {
      return true; // polled just before a revocation; its new owner reads it again
    }
    InferenceRequest request;
    try {
      request = decoder.deserialize(r.topic(), r.value());
    } catch (WireFormatException e) {
      completions.add(ledger.track(r, null, Failures.toRejection(e, 1)));
      return true;
    } catch (SerializationException e) {
      if (TransientFailures.isRegistryUnavailable(e)) {
        return false;
      }
      throw e;
    }
    if (request == null) {
      completions.add(
          ledger.track(
              r,
              keyOf(r),
              new Outcome.Rejected(
                  DeadLetterReason.UNDECODABLE,
                  "record has no value (a tombstone on the requests topic)",
                  1)));
      return true;
    }
    PendingRecord pending = ledger.track(r, request.getRequestId(), null);
    RequestContext context = RequestContext.of(r, clock.millis());
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

  private static String keyOf(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }
}
