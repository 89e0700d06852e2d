package io.expertflow.schemas;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import java.nio.ByteBuffer;
import java.time.Instant;

/** Builds {@link DeadLetter} records that keep the original bytes for replay after a fix. */
public final class DeadLetters {
  private DeadLetters() {}

  /**
   * A dead letter for the record at {@code topic/partition/offset}.
   *
   * @param requestId the request id if known, else null
   * @param detail what was wrong and what to do; must never contain document text
   */
  public static DeadLetter of(
      String topic,
      int partition,
      long offset,
      byte[] key,
      byte[] value,
      String requestId,
      DeadLetterReason reason,
      String detail,
      String stage,
      String origin,
      int attempts,
      Instant now) {
    return DeadLetter.newBuilder()
        .setRequestId(requestId)
        .setReason(reason)
        .setDetail(detail == null ? reason.name() : detail)
        .setStage(stage)
        .setOrigin(origin)
        .setSourceTopic(topic)
        .setSourcePartition(partition)
        .setSourceOffset(offset)
        .setOriginalKey(key == null ? null : ByteBuffer.wrap(key))
        .setOriginalValue(value == null ? null : ByteBuffer.wrap(value))
        .setAttempts(attempts)
        .setFailedAt(now)
        .build();
  }
}
