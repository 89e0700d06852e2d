package io.expertflow.streams.feedback;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.feedback.FeedbackValidator;
import io.expertflow.schemas.serde.WireFormatException;
import io.expertflow.streams.deadletter.SourceRecordRef;
import io.expertflow.streams.dedup.SeenIds;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;
import org.apache.kafka.streams.state.WindowStoreIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes and validates feedback, dead-letters as {@code DUPLICATE} feedback whose id it took
 * before on the same request (within the response retention), attributes it when its response is
 * known, and otherwise parks it in the wait store. A wall-clock punctuator dead-letters feedback
 * that waited longer than the match timeout. One instance per task; stream thread only
 * (punctuations run on it too).
 */
final class FeedbackJoiner implements Processor<byte[], byte[], String, SpecificRecord> {
  private static final Logger LOG = LoggerFactory.getLogger(FeedbackJoiner.class);

  private final Deserializer<FeedbackEvent> deserializer;
  private final FeedbackValidator validator;
  private final FeedbackEmitter emitter;
  private final Duration matchTimeout;
  private final Duration sweepInterval;
  private final Duration retention;
  private ProcessorContext<String, SpecificRecord> context;
  private WindowStore<String, InferenceResponse> responses;
  private KeyValueStore<String, ParkedFeedback> waiting;
  private SeenIds seen;

  FeedbackJoiner(
      Deserializer<FeedbackEvent> deserializer,
      FeedbackValidator validator,
      FeedbackEmitter emitter,
      FeedbackConfig config) {
    this.deserializer = deserializer;
    this.validator = validator;
    this.emitter = emitter;
    this.matchTimeout = config.matchTimeout();
    this.sweepInterval = config.sweepInterval();
    this.retention = config.responseRetention();
  }

  /** Wait-store keys of one request start with this prefix. */
  static String waitingPrefix(String requestId) {
    return requestId + '\u0000';
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.responses = context.getStateStore(FeedbackTopology.RESPONSES_STORE);
    this.waiting = context.getStateStore(FeedbackTopology.WAITING_STORE);
    this.seen = new SeenIds(context.getStateStore(FeedbackTopology.SEEN_STORE), retention);
    context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, this::expire);
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    SourceRecordRef source =
        new SourceRecordRef(
            meta == null ? "" : meta.topic(),
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            record.key(),
            record.value());
    String keyText = record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    FeedbackEvent event;
    try {
      event =
          record.value() == null ? null : deserializer.deserialize(source.topic(), record.value());
    } catch (WireFormatException e) {
      emitter.deadLetter(
          context,
          e.reason(),
          e.getMessage() + "; produce FeedbackEvent values with the wire-format Avro serializer",
          keyText,
          source);
      return;
    }
    if (event == null) {
      emitter.deadLetter(
          context,
          DeadLetterReason.UNDECODABLE,
          "the record has no value (a tombstone); send a FeedbackEvent",
          keyText,
          source);
      return;
    }
    Optional<String> problem = validator.problem(event);
    if (problem.isPresent()) {
      emitter.deadLetter(
          context,
          DeadLetterReason.INVALID_FEEDBACK,
          "feedback " + event.getFeedbackId() + ": " + problem.get(),
          event.getRequestId(),
          source);
      return;
    }
    String id = waitingPrefix(event.getRequestId()) + event.getFeedbackId();
    if (seen.taken(id, record.timestamp()).isPresent()) {
      // sent again (a file resent, a producer's retry after a crash): it counts once
      emitter.deadLetter(
          context,
          DeadLetterReason.DUPLICATE,
          "feedback "
              + event.getFeedbackId()
              + " on request "
              + event.getRequestId()
              + " was received before and counts once; give distinct feedback distinct ids",
          event.getRequestId(),
          source);
      return;
    }
    seen.take(id, record.timestamp());
    InferenceResponse response = latestResponse(event.getRequestId());
    if (response != null) {
      emitter.attribute(context, event, response, source);
    } else {
      waiting.put(
          waitingPrefix(event.getRequestId()) + event.getFeedbackId(),
          new ParkedFeedback(context.currentSystemTimeMs(), source));
    }
  }

  private InferenceResponse latestResponse(String requestId) {
    InferenceResponse latest = null;
    try (WindowStoreIterator<InferenceResponse> it =
        responses.fetch(requestId, 0L, Long.MAX_VALUE)) {
      while (it.hasNext()) {
        latest = it.next().value;
      }
    }
    return latest;
  }

  private void expire(long nowMs) {
    long cutoff = nowMs - matchTimeout.toMillis();
    List<KeyValue<String, ParkedFeedback>> expired = new ArrayList<>();
    try (KeyValueIterator<String, ParkedFeedback> it = waiting.all()) {
      while (it.hasNext()) {
        KeyValue<String, ParkedFeedback> entry = it.next();
        if (entry.value.parkedAtMs() <= cutoff) {
          expired.add(entry);
        }
      }
    }
    for (KeyValue<String, ParkedFeedback> entry : expired) {
      waiting.delete(entry.key);
      String requestId = entry.key.substring(0, entry.key.indexOf('\u0000'));
      LOG.info("feedback on request {} found no response within {}", requestId, matchTimeout);
      emitter.deadLetter(
          context,
          DeadLetterReason.UNMATCHED_FEEDBACK,
          "no response for request "
              + requestId
              + " arrived within "
              + matchTimeout
              + " of the feedback (or it is older than the response retention); check the request id,"
              + " or replay original_value once the response exists",
          requestId,
          entry.value.source());
    }
  }
}
