package io.expertflow.worker;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.DeadLetters;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** Turns an outcome into the records to produce: a response, or a dead letter. Thread-safe. */
final class OutcomeRecords {
  static final String TRACEPARENT = "traceparent";

  private final String responsesTopic;
  private final String deadLettersTopic;
  private final String workerId;
  private final Clock clock;
  private final AvroSerializer<InferenceResponse> responses;
  private final AvroSerializer<DeadLetter> deadLetters;

  OutcomeRecords(WorkerConfig config, SchemaRegistryClient registry, Clock clock) {
    this.responsesTopic = config.topic("responses");
    this.deadLettersTopic = config.topic("dead-letters");
    this.workerId = config.workerId();
    this.clock = clock;
    this.responses = new AvroSerializer<>(registry, false);
    this.deadLetters = new AvroSerializer<>(registry, false);
  }

  String responsesTopic() {
    return responsesTopic;
  }

  String deadLettersTopic() {
    return deadLettersTopic;
  }

  List<ProducerRecord<byte[], byte[]>> toRecords(PendingRecord pending) {
    ConsumerRecord<byte[], byte[]> in = pending.record();
    byte[] key =
        pending.requestId() == null ? null : pending.requestId().getBytes(StandardCharsets.UTF_8);
    RecordHeaders headers = new RecordHeaders();
    Header trace = in.headers().lastHeader(TRACEPARENT);
    if (trace != null) {
      headers.add(trace);
    }
    if (pending.outcome() instanceof Outcome.Answered a) {
      byte[] value = responses.serialize(responsesTopic, a.response());
      return List.of(new ProducerRecord<>(responsesTopic, null, key, value, headers));
    }
    Outcome.Rejected r = (Outcome.Rejected) pending.outcome();
    DeadLetter letter =
        DeadLetters.of(
            in.topic(),
            in.partition(),
            in.offset(),
            in.key(),
            in.value(),
            pending.requestId(),
            r.reason(),
            r.detail(),
            "worker",
            workerId,
            r.attempts(),
            clock.instant());
    byte[] value = deadLetters.serialize(deadLettersTopic, letter);
    return List.of(new ProducerRecord<>(deadLettersTopic, null, key, value, headers));
  }
}
