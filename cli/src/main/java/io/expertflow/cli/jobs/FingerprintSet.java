package io.expertflow.cli.jobs;

import java.util.Arrays;

/**
 * A set of 64-bit request-id fingerprints in a sorted {@code long[]}: 8 bytes per id, so the
 * requests of a job of millions of documents fit in tens of megabytes. Add everything, then {@link
 * #freeze()}, then look up; {@link #indexOf} gives each member a stable position for bit sets. One
 * thread.
 */
public final class FingerprintSet {
  private long[] values = new long[1024];
  private int size;
  private boolean frozen;

  public void add(long fingerprint) {
    if (frozen) {
      throw new IllegalStateException("frozen");
    }
    if (size == values.length) {
      values = Arrays.copyOf(values, values.length * 2);
    }
    values[size++] = fingerprint;
  }

  /** Sorts and drops repeats; after this the set answers lookups and takes no more adds. */
  public FingerprintSet freeze() {
    Arrays.sort(values, 0, size);
    int distinct = 0;
    for (int i = 0; i < size; i++) {
      if (distinct == 0 || values[distinct - 1] != values[i]) {
        values[distinct++] = values[i];
      }
    }
    size = distinct;
    values = Arrays.copyOf(values, size);
    frozen = true;
    return this;
  }

  /** Distinct members (after {@link #freeze()}). */
  public int size() {
    return size;
  }

  public boolean contains(long fingerprint) {
    return indexOf(fingerprint) >= 0;
  }

  /** The member's position in {@code [0, size)}, or a negative number when absent. */
  public int indexOf(long fingerprint) {
    if (!frozen) {
      throw new IllegalStateException("freeze() first");
    }
    return Arrays.binarySearch(values, 0, size, fingerprint);
  }
}
