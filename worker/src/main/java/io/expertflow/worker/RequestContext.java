package io.expertflow.worker;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * Where a request came from and when the worker saw it.
 *
 * @param topic source topic
 * @param partition source partition
 * @param offset source offset
 * @param polledAtMs epoch ms when the worker polled the record
 * @param traceparent the W3C traceparent header, or null
 */
public record RequestContext(
    String topic, int partition, long offset, long polledAtMs, String traceparent) {

  /** The context of a polled record: its position and its {@code traceparent} header, if any. */
  public static RequestContext of(ConsumerRecord<?, ?> r, long polledAtMs) {
    Header trace = r.headers().lastHeader(OutcomeRecords.TRACEPARENT);
    return new RequestContext(
        r.topic(),
        r.partition(),
        r.offset(),
        polledAtMs,
        trace == null ? null : new String(trace.value(), StandardCharsets.UTF_8));
  }
}
