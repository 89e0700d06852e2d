package io.expertflow.worker;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.errors.TransientFailures;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;

/**
 * What both delivery loops (consumer group and share group) do with a record, apart from how they
 * acknowledge it: decode it, reject what is no request (bad wire format, unknown schema, a
 * tombstone), hand the request to the {@link DocumentProcessor}, map a failure to a dead-letter
 * reason ({@link Failures}), and turn the outcome into the record to produce ({@link
 * OutcomeRecords}). Every registry call goes through one {@link RegistryOutage}: a record whose
 * writer schema cannot be fetched, or an outcome whose schema cannot be registered, because the
 * registry does not answer is no fault of the record, and the loop must hold it and try again.
 *
 * <p>Threading: {@link #take} runs on the loop's poll thread; {@link #toRecords} on any thread.
 */
final class DeliverySkeleton {
  private final RegistryOutage registryOutage;
  private final AvroDeserializer<InferenceRequest> decoder;
  private final OutcomeRecords outcomes;
  private final DocumentProcessor processor;
  private final Clock clock;

  DeliverySkeleton(
      WorkerConfig config,
      SchemaRegistryClient registry,
      DocumentProcessor processor,
      Clock clock,
      RegistryOutage registryOutage) {
    this.registryOutage = registryOutage;
    SchemaRegistryClient observed = new ObservedRegistryClient(registry, registryOutage);
    this.decoder = new AvroDeserializer<>(observed, InferenceRequest.class);
    this.outcomes = new OutcomeRecords(config, observed, clock);
    this.processor = processor;
    this.clock = clock;
  }

  RegistryOutage registryOutage() {
    return registryOutage;
  }

  OutcomeRecords outcomes() {
    return outcomes;
  }

  /**
   * Decodes {@code r} and, if it holds a request, starts processing it.
   *
   * @param attempts how often the record was delivered, this time included
   * @throws SerializationException if decoding failed for another reason than the record or the
   *     registry's absence (a bug; the loop must stop)
   */
  Taken take(ConsumerRecord<byte[], byte[]> r, int attempts) {
    InferenceRequest request;
    try {
      request = decoder.deserialize(r.topic(), r.value());
    } catch (WireFormatException e) {
      return new Taken.Refused(null, Failures.toRejection(e, attempts));
    } catch (SerializationException e) {
      if (TransientFailures.isRegistryUnavailable(e)) {
        return new Taken.WaitsForRegistry();
      }
      throw e;
    }
    if (request == null) {
      return new Taken.Refused(
          keyOf(r),
          new Outcome.Rejected(
              DeadLetterReason.UNDECODABLE,
              "record has no value (a tombstone on the requests topic)",
              attempts));
    }
    CompletableFuture<Outcome> future;
    try {
      future = processor.process(request, RequestContext.of(r, clock.millis()));
    } catch (RuntimeException e) {
      future = CompletableFuture.failedFuture(e);
    }
    return new Taken.Started(
        request.getRequestId(),
        future.handle((o, t) -> t == null ? o : Failures.toRejection(t, attempts)));
  }

  /**
   * The records to produce for {@code pending}'s outcome; empty while the registry cannot register
   * their schema (try again after the outage's backoff).
   */
  Optional<List<ProducerRecord<byte[], byte[]>>> toRecords(PendingRecord pending) {
    try {
      return Optional.of(outcomes.toRecords(pending));
    } catch (SerializationException e) {
      if (TransientFailures.isRegistryUnavailable(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  static String keyOf(ConsumerRecord<byte[], byte[]> r) {
    return r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
  }

  /** What became of a polled record when it was taken. */
  sealed interface Taken {
    /**
     * Processing started; {@code outcome} never completes exceptionally (failures are rejections).
     */
    record Started(String requestId, CompletableFuture<Outcome> outcome) implements Taken {}

    /** No request: the record goes to the dead letters with {@code rejection}. */
    record Refused(String requestId, Outcome.Rejected rejection) implements Taken {}

    /** The registry did not answer: not taken, to be read again after the outage's backoff. */
    record WaitsForRegistry() implements Taken {}
  }
}
