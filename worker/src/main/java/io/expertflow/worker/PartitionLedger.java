package io.expertflow.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the consumer-group worker has taken from each assigned partition and not yet committed:
 * records in flight, completed outcomes held for the next commit, and where to commit after them.
 * Outcomes are released as soon as they complete, in any order ({@link #holdCompleted()}); the
 * offset committed with them is each partition's first record not released yet, and the records
 * released beyond it are named in the commit's metadata ({@link AnsweredOffsets}), so a committed
 * offset never passes a record whose outcome was not produced, and the partition's next reader
 * skips the records answered ahead of it ({@link #skipIfAnswered}).
 *
 * <p>Each assignment of a partition is a new generation: a record tracked under an earlier one
 * (revoked, lost, or reset after a failed commit) is no longer accepted when it completes, since
 * the partition's next reader takes it again.
 *
 * <p>Not thread-safe: owned by the worker's poll thread; the rebalance callbacks run on it too.
 */
final class PartitionLedger {
  private static final Logger LOG = LoggerFactory.getLogger(PartitionLedger.class);

  private final Map<TopicPartition, Generation> partitions = new HashMap<>();
  private final List<PendingRecord> held = new ArrayList<>();
  private final Map<TopicPartition, OffsetAndMetadata> heldOffsets = new HashMap<>();
  private volatile int inFlight; // written by the poll thread only; read from any

  /** Starts a fresh generation for each of {@code assigned}, with nothing answered ahead. */
  void assign(Collection<TopicPartition> assigned) {
    assign(assigned, Map.of());
  }

  /**
   * Starts a fresh generation for each of {@code assigned}; a partition's records answered ahead of
   * its committed offset, as the metadata in {@code committed} names them, will be skipped.
   *
   * @return how many records the metadata names
   */
  int assign(
      Collection<TopicPartition> assigned, Map<TopicPartition, OffsetAndMetadata> committed) {
    int ahead = 0;
    for (TopicPartition tp : assigned) {
      NavigableSet<Long> answered = answeredAhead(tp, committed.get(tp));
      ahead += answered.size();
      partitions.put(tp, new Generation(answered));
    }
    return ahead;
  }

  /**
   * Whether an earlier reader of {@code record}'s partition answered it: then it is tracked as
   * answered, and must not be processed again.
   */
  boolean skipIfAnswered(ConsumerRecord<byte[], byte[]> record) {
    Generation generation = partitions.get(partitionOf(record));
    if (generation == null || !generation.progress.answeredBefore(record.offset())) {
      return false;
    }
    generation.progress.track(record.offset());
    return true;
  }

  /** Whether records of {@code tp} are taken into work here. */
  boolean isAssigned(TopicPartition tp) {
    return partitions.containsKey(tp);
  }

  /** The partitions assigned now. */
  Set<TopicPartition> assigned() {
    return Set.copyOf(partitions.keySet());
  }

  /**
   * Registers {@code record} as in flight under its partition's current generation.
   *
   * @param outcome the outcome if already known (a rejection at decoding), else null
   * @return the pending record to complete later through {@link #complete}
   * @throws IllegalStateException if the record's partition is not assigned
   */
  PendingRecord track(ConsumerRecord<byte[], byte[]> record, String requestId, Outcome outcome) {
    TopicPartition tp = partitionOf(record);
    Generation generation = partitions.get(tp);
    if (generation == null) {
      throw new IllegalStateException(
          "record at offset " + record.offset() + " of " + tp + " tracked while not assigned");
    }
    if (!generation.progress.track(record.offset())) {
      throw new IllegalStateException(
          "record at offset " + record.offset() + " of " + tp + " was answered before");
    }
    inFlight++;
    return new PendingRecord(record, requestId, generation, outcome);
  }

  /**
   * Records a completed outcome.
   *
   * @return false if it was dropped: its partition was revoked or reset since it was tracked, or it
   *     was completed before
   */
  boolean complete(PendingRecord completed) {
    Generation generation = partitions.get(partitionOf(completed.record()));
    if (generation == null || generation != completed.assignment()) {
      return false;
    }
    return generation.progress.complete(completed.record().offset(), completed);
  }

  /**
   * Moves each partition's completed outcomes to the held ones, after those still held from an
   * earlier attempt, and returns them all in that order, with each partition's commit position
   * brought up to date. They stay held until {@link #takeHeld()}.
   */
  List<PendingRecord> holdCompleted() {
    for (Map.Entry<TopicPartition, Generation> e : partitions.entrySet()) {
      PartitionProgress<PendingRecord> progress = e.getValue().progress;
      held.addAll(progress.drain());
      OffsetAndMetadata position = progress.commitPosition();
      if (position != null && !position.equals(e.getValue().handedOut)) {
        heldOffsets.put(e.getKey(), position);
        e.getValue().handedOut = position;
      }
    }
    return List.copyOf(held);
  }

  /**
   * Hands out the held outcomes with the offsets to commit after them and stops holding them. They
   * still count as in flight until {@link #committed(int)}.
   */
  Release takeHeld() {
    Release release = new Release(List.copyOf(held), Map.copyOf(heldOffsets));
    held.clear();
    heldOffsets.clear();
    return release;
  }

  /** {@code records} taken with {@link #takeHeld()} were committed: no longer in flight. */
  void committed(int records) {
    inFlight -= records;
  }

  /**
   * Forgets everything of {@code revoked}: in-flight records, completed ones and held outcomes, all
   * uncommitted, so the partitions' next owner reads them again.
   */
  void forget(Collection<TopicPartition> revoked) {
    for (TopicPartition tp : revoked) {
      Generation generation = partitions.remove(tp);
      if (generation != null) {
        inFlight -= generation.progress.inFlight();
      }
      heldOffsets.remove(tp);
    }
    int before = held.size();
    held.removeIf(p -> revoked.contains(partitionOf(p.record())));
    inFlight -= before - held.size();
  }

  /**
   * Forgets all work and starts a new generation of every assigned partition, after a failed commit
   * once the consumer reads again from the offsets {@code committed} (whose metadata names the
   * records answered ahead of them).
   */
  void reset(Map<TopicPartition, OffsetAndMetadata> committed) {
    for (TopicPartition tp : List.copyOf(partitions.keySet())) {
      partitions.put(tp, new Generation(answeredAhead(tp, committed.get(tp))));
    }
    held.clear();
    heldOffsets.clear();
    inFlight = 0;
  }

  /** Records tracked and not yet committed or forgotten; may be read from any thread. */
  int inFlight() {
    return inFlight;
  }

  private static NavigableSet<Long> answeredAhead(TopicPartition tp, OffsetAndMetadata committed) {
    if (committed == null) {
      return new TreeSet<>();
    }
    try {
      return AnsweredOffsets.decode(committed.offset(), committed.metadata());
    } catch (IllegalArgumentException e) {
      LOG.error(
          "{}: {}; its records after the committed offset will all be processed, and some may be"
              + " answered twice",
          tp,
          e.getMessage());
      return new TreeSet<>();
    }
  }

  private static TopicPartition partitionOf(ConsumerRecord<?, ?> r) {
    return new TopicPartition(r.topic(), r.partition());
  }

  /**
   * Outcomes released for one commit, in order, and the offset to commit per partition.
   *
   * @param records the outcomes to produce
   * @param offsets the next offset to read of each partition they came from
   */
  record Release(List<PendingRecord> records, Map<TopicPartition, OffsetAndMetadata> offsets) {}

  /** One assignment of a partition; identity tells generations apart. */
  private static final class Generation {
    final PartitionProgress<PendingRecord> progress;
    OffsetAndMetadata handedOut; // the last commit position handed to the committer

    Generation(NavigableSet<Long> answeredAhead) {
      this.progress = new PartitionProgress<>(answeredAhead);
    }
  }
}
