package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;

/** Turns a failure seen by an exception handler into the dead-letter producer record. */
final class DeadLetterRecords {
  private DeadLetterRecords() {}

  /**
   * The dead letter for the source record of {@code context}. Handlers do not know which request a
   * raw record belongs to, so the dead letter's key and request id stay null.
   */
  static List<ProducerRecord<byte[], byte[]>> of(
      DeadLetterHandlerConfig config,
      ErrorHandlerContext context,
      byte[] key,
      byte[] value,
      DeadLetterReason reason,
      String detail) {
    SourceRecordRef source =
        new SourceRecordRef(context.topic(), context.partition(), context.offset(), key, value);
    DeadLetter letter =
        config.deadLetters().create(reason, detail, null, source, System.currentTimeMillis());
    byte[] bytes = config.serializer().serialize(config.topic(), letter);
    return List.of(new ProducerRecord<>(config.topic(), null, null, null, bytes, null));
  }

  static String where(ErrorHandlerContext context) {
    return context.topic() + "-" + context.partition() + "@" + context.offset();
  }
}
