package io.expertflow.cli.commands;

import io.expertflow.avro.AuditRecord;
import io.expertflow.operators.audit.AuditVerifier;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.WireFormatException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * Reads a range of the audit topic, partition by partition in offset order, into an {@link
 * AuditVerifier}. The range ends at the committed end each partition had when reading started, so
 * records written meanwhile are not read. Single-threaded; the caller owns the consumer, which must
 * read committed records only.
 */
final class AuditTopicReader {
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroDeserializer<AuditRecord> decoder;
  private final Duration stallTimeout;

  AuditTopicReader(
      KafkaConsumer<String, byte[]> consumer,
      AvroDeserializer<AuditRecord> decoder,
      Duration stallTimeout) {
    this.consumer = consumer;
    this.decoder = decoder;
    this.stallTimeout = stallTimeout;
  }

  /** Feeds the records of {@code partitions} in [{@code from}, {@code to}) to {@code verifier}. */
  void read(
      List<TopicPartition> partitions, AuditRange from, AuditRange to, AuditVerifier verifier) {
    for (TopicPartition tp : partitions) {
      long start = bound(tp, from, true);
      long end = bound(tp, to, false);
      if (start < end) {
        readPartition(tp, start, end, verifier);
      }
    }
  }

  private void readPartition(TopicPartition tp, long start, long end, AuditVerifier verifier) {
    consumer.assign(List.of(tp));
    consumer.seek(tp, start);
    long lastProgress = System.nanoTime();
    long position = start;
    while (position < end) {
      var records = consumer.poll(Duration.ofMillis(500));
      long now = consumer.position(tp);
      if (now > position) {
        position = now;
        lastProgress = System.nanoTime();
      } else if (records.isEmpty()) {
        if (System.nanoTime() - lastProgress > stallTimeout.toNanos()) {
          throw new IllegalStateException(
              "reading "
                  + tp
                  + " stalled at offset "
                  + consumer.position(tp)
                  + " before its end "
                  + end
                  + " for "
                  + stallTimeout
                  + "; is the broker reachable?");
        }
        continue;
      }
      for (ConsumerRecord<String, byte[]> r : records.records(tp)) {
        if (r.offset() >= end) {
          break;
        }
        feed(r, verifier);
      }
    }
  }

  private void feed(ConsumerRecord<String, byte[]> r, AuditVerifier verifier) {
    if (r.value() == null) {
      verifier.undecodable(r.partition(), r.offset(), r.key(), "the record has no value");
      return;
    }
    try {
      verifier.check(r.partition(), r.offset(), decoder.deserialize(r.topic(), r.value()));
    } catch (WireFormatException e) {
      verifier.undecodable(
          r.partition(), r.offset(), r.key(), "not an audit record: " + e.getMessage());
    }
  }

  /** The offset {@code range} names in {@code tp}, kept within the partition's records. */
  private long bound(TopicPartition tp, AuditRange range, boolean isStart) {
    long first = consumer.beginningOffsets(List.of(tp)).get(tp);
    long last = consumer.endOffsets(List.of(tp)).get(tp);
    if (range == null) {
      return isStart ? first : last;
    }
    if (range.isTime()) {
      Map<TopicPartition, Long> query = new HashMap<>();
      query.put(tp, range.time().toEpochMilli());
      OffsetAndTimestamp found = consumer.offsetsForTimes(query).get(tp);
      return found == null ? last : Math.min(Math.max(found.offset(), first), last);
    }
    return Math.min(Math.max(range.offset(), first), last);
  }
}
