package io.expertflow.streams.stats;

import io.expertflow.avro.AttributedFeedback;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Windows use the feedback's event time carried in the value, whoever produced the record; other
 * values keep the record timestamp. Stateless; thread-safe.
 */
public final class FeedbackEventTimeExtractor implements TimestampExtractor {
  @Override
  public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
    if (record.value() instanceof AttributedFeedback feedback) {
      return feedback.getEventTime().toEpochMilli();
    }
    return record.timestamp();
  }
}
