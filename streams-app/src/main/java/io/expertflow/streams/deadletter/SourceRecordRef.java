package io.expertflow.streams.deadletter;

/**
 * Where a failed record came from, and its bytes as read.
 *
 * @param topic source topic
 * @param partition source partition, -1 when unknown
 * @param offset source offset, -1 when unknown
 * @param key key bytes, may be null
 * @param value value bytes, may be null
 */
public record SourceRecordRef(String topic, int partition, long offset, byte[] key, byte[] value) {
  public SourceRecordRef {
    topic = topic == null ? "" : topic;
  }
}
