package io.expertflow.streams.intake;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.serde.WireFormatException;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import io.expertflow.streams.dedup.SeenIds;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decodes, validates and de-duplicates inbound requests. Accepted requests go to {@link #ACCEPTED},
 * keyed by document id; every other record goes to {@link #REJECTED} as a dead letter -- duplicates
 * too (reason {@code DUPLICATE}), so nothing vanishes silently. The dedup store remembers each
 * accepted request id at its record time; a request id accepted within the window (either side of
 * the new record's time, so reordered duplicates are caught) is a duplicate. One instance per
 * stream task; called on its stream thread only.
 */
final class IntakeProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
  static final String ACCEPTED = "requests-sink";
  static final String REJECTED = "intake-dead-letters-sink";

  private static final Logger LOG = LoggerFactory.getLogger(IntakeProcessor.class);
  private static final char REPLACEMENT = '\uFFFD';

  private final Deserializer<InferenceRequest> deserializer;
  private final RequestValidator validator;
  private final StrictUtf8 strictUtf8;
  private final DeadLetters deadLetters;
  private final String storeName;
  private final long dedupWindowMs;
  private final Tracing tracing;
  private Span current = Span.getInvalid();
  private ProcessorContext<String, SpecificRecord> context;
  private SeenIds seen;

  IntakeProcessor(
      Deserializer<InferenceRequest> deserializer,
      RequestValidator validator,
      StrictUtf8 strictUtf8,
      DeadLetters deadLetters,
      String storeName,
      long dedupWindowMs,
      Tracing tracing) {
    this.tracing = tracing;
    this.deserializer = deserializer;
    this.validator = validator;
    this.strictUtf8 = strictUtf8;
    this.deadLetters = deadLetters;
    this.storeName = storeName;
    this.dedupWindowMs = dedupWindowMs;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.seen = new SeenIds(context.getStateStore(storeName), Duration.ofMillis(dedupWindowMs));
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    Header incoming = record.headers().lastHeader(Tracing.TRACEPARENT);
    Span span =
        tracing
            .tracer()
            .spanBuilder("expertflow.intake")
            .setParent(
                Tracing.parent(
                    incoming == null
                        ? null
                        : new String(incoming.value(), java.nio.charset.StandardCharsets.UTF_8)))
            .setSpanKind(SpanKind.CONSUMER)
            .startSpan();
    current = span;
    try {
      admit(record, span);
    } finally {
      span.end();
      current = Span.getInvalid();
    }
  }

  private void admit(Record<byte[], byte[]> record, Span span) {
    SourceRecordRef source = source(record);
    if (record.value() == null) {
      reject(
          record,
          source,
          null,
          DeadLetterReason.UNDECODABLE,
          "the record has no value (a tombstone); send an InferenceRequest");
      return;
    }
    InferenceRequest request;
    try {
      request = deserializer.deserialize(source.topic(), record.value());
    } catch (WireFormatException e) {
      reject(
          record,
          source,
          keyAsText(record.key()),
          e.reason(),
          e.getMessage()
              + "; produce InferenceRequest values with the wire-format Avro serializer");
      return;
    }
    Optional<Rejection> rejection = validator.check(request, context.currentSystemTimeMs());
    if (rejection.isEmpty() && holdsReplacementChar(request)) {
      rejection =
          strictUtf8
              .malformedField(source.topic(), record.value())
              .map(
                  field ->
                      new Rejection(
                          DeadLetterReason.INVALID_UTF8,
                          "request "
                              + request.getRequestId()
                              + ": field "
                              + field
                              + " is not well-formed UTF-8; encode the document as UTF-8"));
    }
    if (rejection.isEmpty()) {
      rejection = duplicateOf(request.getRequestId(), record.timestamp());
    }
    if (rejection.isPresent()) {
      reject(
          record,
          source,
          request.getRequestId(),
          rejection.get().reason(),
          rejection.get().detail());
      return;
    }
    seen.take(request.getRequestId(), record.timestamp());
    span.setAttribute(Tracing.REQUEST_ID, request.getRequestId())
        .setAttribute(Tracing.TENANT, request.getTenant())
        .setAttribute("expertflow.outcome", "accepted");
    Record<String, SpecificRecord> accepted =
        record.withKey(request.getDocumentId()).withValue((SpecificRecord) request);
    String traceparent = Tracing.traceparent(span);
    if (traceparent != null) {
      // the worker's span continues the intake span (the client's stays its parent)
      Headers headers = new RecordHeaders(record.headers().toArray());
      headers.remove(Tracing.TRACEPARENT);
      headers.add(
          Tracing.TRACEPARENT, traceparent.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      accepted = accepted.withHeaders(headers);
    }
    context.forward(accepted, ACCEPTED);
  }

  private Optional<Rejection> duplicateOf(String requestId, long timestamp) {
    OptionalLong first = seen.taken(requestId, timestamp);
    if (first.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new Rejection(
            DeadLetterReason.DUPLICATE,
            "request_id "
                + requestId
                + " was already accepted (record time "
                + Instant.ofEpochMilli(first.getAsLong())
                + ") within the dedup window of "
                + Duration.ofMillis(dedupWindowMs)
                + "; submit with a new request_id to analyse the document again"));
  }

  private static boolean holdsReplacementChar(InferenceRequest request) {
    if (request.getText() != null && request.getText().indexOf(REPLACEMENT) >= 0) {
      return true;
    }
    List<String> chunks = request.getChunks();
    return chunks != null && chunks.stream().anyMatch(c -> c.indexOf(REPLACEMENT) >= 0);
  }

  private void reject(
      Record<byte[], byte[]> record,
      SourceRecordRef source,
      String requestId,
      DeadLetterReason reason,
      String detail) {
    current.setAttribute("expertflow.outcome", "dead-lettered " + reason);
    if (requestId != null) {
      current.setAttribute(Tracing.REQUEST_ID, requestId);
    }
    LOG.info(
        "rejected request {} from {}-{}@{}: {}",
        requestId,
        source.topic(),
        source.partition(),
        source.offset(),
        reason);
    DeadLetter letter =
        deadLetters.create(reason, detail, requestId, source, context.currentSystemTimeMs());
    context.forward(record.withKey(requestId).withValue((SpecificRecord) letter), REJECTED);
  }

  private SourceRecordRef source(Record<byte[], byte[]> record) {
    Optional<RecordMetadata> meta = context.recordMetadata();
    return new SourceRecordRef(
        meta.map(RecordMetadata::topic).orElse(""),
        meta.map(RecordMetadata::partition).orElse(-1),
        meta.map(RecordMetadata::offset).orElse(-1L),
        record.key(),
        record.value());
  }

  private static String keyAsText(byte[] key) {
    return key == null ? null : new String(key, StandardCharsets.UTF_8);
  }
}
