package io.expertflow.worker;

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
    String topic, int partition, long offset, long polledAtMs, String traceparent) {}
