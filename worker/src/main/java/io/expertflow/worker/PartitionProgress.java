package io.expertflow.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * In-flight records of one partition, in offset order. A record's output becomes releasable only
 * when it and every earlier record of the partition are complete: {@link #drainContiguous()} hands
 * out that prefix and the offset to commit after it. Results that complete out of order wait here.
 *
 * <p>Not thread-safe: owned by the worker's poll thread.
 *
 * @param <O> the output of one record (the records to produce for it)
 */
final class PartitionProgress<O> {
  private final TreeMap<Long, Slot<O>> slots = new TreeMap<>();
  private long committable = -1;

  /** Registers a polled record as in flight. Offsets must arrive in increasing order. */
  void track(long offset) {
    if (!slots.isEmpty() && offset <= slots.lastKey()) {
      throw new IllegalStateException(
          "offset "
              + offset
              + " tracked after "
              + slots.lastKey()
              + ": records must arrive in order");
    }
    slots.put(offset, new Slot<>());
  }

  /** Marks a tracked record done with its output; a second completion is ignored. */
  boolean complete(long offset, O output) {
    Slot<O> slot = slots.get(offset);
    if (slot == null || slot.done) {
      return false;
    }
    slot.done = true;
    slot.output = output;
    return true;
  }

  /** Removes and returns the outputs of the completed prefix; see {@link #nextOffset()}. */
  List<O> drainContiguous() {
    List<O> out = new ArrayList<>();
    while (!slots.isEmpty()) {
      Map.Entry<Long, Slot<O>> first = slots.firstEntry();
      if (!first.getValue().done) {
        break;
      }
      out.add(first.getValue().output);
      committable = first.getKey() + 1;
      slots.pollFirstEntry();
    }
    return out;
  }

  /** The offset to commit after the last drain (the next record to read), or -1 if none yet. */
  long nextOffset() {
    return committable;
  }

  /** Records tracked and not yet drained. */
  int inFlight() {
    return slots.size();
  }

  /** Whether the record at {@code offset} is tracked here (not drained, not released). */
  boolean isTracked(long offset) {
    return slots.containsKey(offset);
  }

  private static final class Slot<O> {
    boolean done;
    O output;
  }
}
