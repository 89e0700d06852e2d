package io.expertflow.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;

/**
 * In-flight records of one partition, in offset order, and what may be committed of them. A
 * record's output is released as soon as the record is done, in any order ({@link #drain()}), so a
 * high-priority document is not held behind the slow ones before it in its partition. The commit
 * position ({@link #commitPosition()}) is the first record not released yet, with the records
 * released beyond it named in the commit's metadata ({@link AnsweredOffsets}), so a committed
 * offset never passes a record whose outcome was not produced, and a record whose outcome was
 * produced is never produced again: the partition's next reader starts from that position and skips
 * what the metadata names ({@link #track}).
 *
 * <p>Records are released only below the first unfinished record's offset plus {@link
 * AnsweredOffsets#MAX_SPAN}, so that the metadata can name them; beyond it, done records wait for
 * the unfinished one.
 *
 * <p>Not thread-safe: owned by the worker's poll thread.
 *
 * @param <O> the output of one record (the records to produce for it)
 */
final class PartitionProgress<O> {
  private final TreeMap<Long, Slot<O>> slots = new TreeMap<>();
  private final NavigableSet<Long> answeredBefore;
  private long committable = -1;
  private OffsetAndMetadata position; // null until something is released
  private int unreleased;

  /** Progress of a partition read from an offset nothing was answered beyond. */
  PartitionProgress() {
    this(new TreeSet<>());
  }

  /**
   * Progress of a partition whose committed metadata names {@code answeredBefore}: records at those
   * offsets were answered by an earlier reader and are skipped.
   */
  PartitionProgress(NavigableSet<Long> answeredBefore) {
    this.answeredBefore = new TreeSet<>(answeredBefore);
  }

  /**
   * Registers a polled record as in flight, unless an earlier reader answered it.
   *
   * @return false if the record was answered before: it is tracked as released, and must not be
   *     processed
   * @throws IllegalStateException if offsets do not arrive in increasing order
   */
  boolean track(long offset) {
    if (!slots.isEmpty() && offset <= slots.lastKey()) {
      throw new IllegalStateException(
          "offset "
              + offset
              + " tracked after "
              + slots.lastKey()
              + ": records must arrive in order");
    }
    if (answeredBefore.remove(offset)) {
      slots.put(offset, Slot.released());
      return false;
    }
    slots.put(offset, new Slot<>());
    unreleased++;
    return true;
  }

  /** Whether the record at {@code offset} was answered by an earlier reader of the partition. */
  boolean answeredBefore(long offset) {
    return answeredBefore.contains(offset);
  }

  /** Marks a tracked record done with its output; a second completion is ignored. */
  boolean complete(long offset, O output) {
    Slot<O> slot = slots.get(offset);
    if (slot == null || slot.state != State.IN_FLIGHT) {
      return false;
    }
    slot.state = State.DONE;
    slot.output = output;
    return true;
  }

  /**
   * Releases the outputs of every done record (within the span), in offset order, and moves the
   * commit position past the released prefix.
   *
   * @return the released outputs
   */
  List<O> drain() {
    List<O> out = new ArrayList<>();
    if (slots.isEmpty()) {
      return out;
    }
    long limit = Long.MAX_VALUE; // the first unfinished record's offset plus the span
    for (Map.Entry<Long, Slot<O>> e : slots.entrySet()) {
      Slot<O> slot = e.getValue();
      if (slot.state == State.IN_FLIGHT && limit == Long.MAX_VALUE) {
        limit = e.getKey() + AnsweredOffsets.MAX_SPAN;
      } else if (slot.state == State.DONE) {
        if (e.getKey() >= limit) {
          break;
        }
        out.add(slot.output);
        slot.output = null;
        slot.state = State.RELEASED;
        unreleased--;
      }
    }
    boolean moved = !out.isEmpty();
    while (!slots.isEmpty() && slots.firstEntry().getValue().state == State.RELEASED) {
      committable = slots.pollFirstEntry().getKey() + 1;
      moved = true;
    }
    if (moved && !slots.isEmpty()) {
      committable = slots.firstKey();
    }
    if (moved) {
      position = position();
    }
    return out;
  }

  /**
   * Where to commit after the last drain: the first record not released yet (or the next to read),
   * with the records released beyond it and those answered before and not read yet in the metadata;
   * null if nothing was released yet.
   */
  OffsetAndMetadata commitPosition() {
    return position;
  }

  /** The position after a drain that moved it (computed once per move, not per commit). */
  private OffsetAndMetadata position() {
    List<Long> ahead = new ArrayList<>();
    for (Map.Entry<Long, Slot<O>> e : slots.tailMap(committable, false).entrySet()) {
      if (e.getValue().state == State.RELEASED) {
        ahead.add(e.getKey());
      }
    }
    ahead.addAll(answeredBefore.tailSet(committable, false));
    return new OffsetAndMetadata(committable, AnsweredOffsets.encode(committable, ahead));
  }

  /** Records tracked and not yet released. */
  int inFlight() {
    return unreleased;
  }

  private enum State {
    IN_FLIGHT,
    DONE,
    RELEASED
  }

  private static final class Slot<O> {
    State state = State.IN_FLIGHT;
    O output;

    static <O> Slot<O> released() {
      Slot<O> slot = new Slot<>();
      slot.state = State.RELEASED;
      return slot;
    }
  }
}
