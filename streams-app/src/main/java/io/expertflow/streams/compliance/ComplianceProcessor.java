package io.expertflow.streams.compliance;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.operators.compliance.ComplianceVerdict;
import io.expertflow.schemas.serde.WireFormatException;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import java.nio.charset.StandardCharsets;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each response, forwards it to the sink of its decision and an audit record to the audit
 * sink; undecodable responses become dead letters. One instance per task; stream thread only.
 */
final class ComplianceProcessor implements Processor<byte[], byte[], String, SpecificRecord> {
  static final String APPROVED = "approved-sink";
  static final String REVIEW = "review-sink";
  static final String BLOCKED = "blocked-sink";
  static final String AUDIT = "audit-sink";
  static final String DEAD_LETTERS = "compliance-dead-letters-sink";

  private static final Logger LOG = LoggerFactory.getLogger(ComplianceProcessor.class);

  private final Deserializer<InferenceResponse> deserializer;
  private final ComplianceRules rules;
  private final DeadLetters deadLetters;
  private ProcessorContext<String, SpecificRecord> context;

  ComplianceProcessor(
      Deserializer<InferenceResponse> deserializer,
      ComplianceRules rules,
      DeadLetters deadLetters) {
    this.deserializer = deserializer;
    this.rules = rules;
    this.deadLetters = deadLetters;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
  }

  @Override
  public void process(Record<byte[], byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    InferenceResponse response;
    try {
      response = record.value() == null ? null : deserializer.deserialize(topic, record.value());
    } catch (WireFormatException e) {
      deadLetter(
          record, e.reason(), e.getMessage() + "; the worker must write InferenceResponse values");
      return;
    }
    if (response == null) {
      deadLetter(
          record,
          io.expertflow.avro.DeadLetterReason.UNDECODABLE,
          "the record has no value (a tombstone); responses must carry an InferenceResponse");
      return;
    }
    ComplianceVerdict verdict = rules.evaluate(response);
    long now = context.currentSystemTimeMs();
    String key = response.getRequestId();
    String sink =
        switch (verdict.decision()) {
          case APPROVED -> APPROVED;
          case REVIEW -> REVIEW;
          case BLOCKED -> BLOCKED;
        };
    LOG.debug(
        "request {}: {} by rule {}",
        key,
        verdict.decision(),
        verdict.decidingRule().orElse("(default)"));
    context.forward(record.withKey(key).withValue((SpecificRecord) response), sink);
    context.forward(
        record.withKey(key).withValue((SpecificRecord) AuditRecords.of(response, verdict, now)),
        AUDIT);
  }

  private void deadLetter(
      Record<byte[], byte[]> record, io.expertflow.avro.DeadLetterReason reason, String detail) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    SourceRecordRef source =
        new SourceRecordRef(
            meta == null ? "" : meta.topic(),
            meta == null ? -1 : meta.partition(),
            meta == null ? -1 : meta.offset(),
            record.key(),
            record.value());
    String requestId =
        record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8);
    LOG.warn(
        "dead-lettering response {} from {}-{}@{}: {}",
        requestId,
        source.topic(),
        source.partition(),
        source.offset(),
        reason);
    DeadLetter letter =
        deadLetters.create(reason, detail, requestId, source, context.currentSystemTimeMs());
    context.forward(record.withKey(requestId).withValue((SpecificRecord) letter), DEAD_LETTERS);
  }
}
