package io.expertflow.streams.compliance;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.audit.AuditChainHead;
import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.operators.compliance.ComplianceVerdict;
import io.expertflow.schemas.serde.WireFormatException;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Judges each response, forwards it to the sink of its decision and an audit record to the audit
 * sink; undecodable responses become dead letters. With a signing key, each audit record is signed
 * and linked to the chain of this task's responses partition, whose head lives in the {@link
 * AuditChains#STORE} store (updated with the record, so both commit together). One instance per
 * task; stream thread only.
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
  private final Optional<AuditSealer> sealer;
  private ProcessorContext<String, SpecificRecord> context;
  private KeyValueStore<String, byte[]> heads;
  private String chain;

  ComplianceProcessor(
      Deserializer<InferenceResponse> deserializer,
      ComplianceRules rules,
      DeadLetters deadLetters,
      Optional<AuditSealer> sealer) {
    this.deserializer = deserializer;
    this.rules = rules;
    this.deadLetters = deadLetters;
    this.sealer = sealer;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.heads = context.getStateStore(AuditChains.STORE);
    this.chain = AuditChains.chainOf(context.taskId().partition());
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
    io.expertflow.streams.StreamsMeters.decision(verdict.decision().name());
    context.forward(
        record
            .withKey(key)
            .withValue((SpecificRecord) audit(AuditRecords.of(response, verdict, now))),
        AUDIT);
  }

  /** {@code unsigned} signed as the next record of this task's chain, when signing is on. */
  private AuditRecord audit(AuditRecord unsigned) {
    if (sealer.isEmpty()) {
      return unsigned;
    }
    Optional<AuditChainHead> head =
        Optional.ofNullable(heads.get(chain)).map(AuditChainHead::fromBytes);
    AuditSealer.Sealed sealed = sealer.get().seal(unsigned, chain, head);
    heads.put(chain, sealed.head().toBytes());
    return sealed.record();
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
