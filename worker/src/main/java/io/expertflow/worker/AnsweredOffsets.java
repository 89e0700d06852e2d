package io.expertflow.worker;

import java.util.Base64;
import java.util.BitSet;
import java.util.Collection;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The offsets of one partition that were answered ahead of its committed offset, written into the
 * commit's metadata string, so that a record answered out of order is committed with its outcome
 * (in the same transaction in exactly-once mode) and never answered again by the partition's next
 * reader, while the committed offset itself stays at the first record not answered yet.
 *
 * <p>Format: {@value #PREFIX} followed by the URL-safe Base64 (no padding) of a little-endian bit
 * set whose bit {@code i} stands for offset {@code committed + i}. Answered offsets must lie below
 * {@code committed +} {@value #MAX_SPAN}, so the string stays under 2,800 characters, inside the
 * broker's default {@code offset.metadata.max.bytes} of 4,096. Metadata written by anything else
 * (or by nobody, the empty string) reads as no offsets answered ahead.
 */
final class AnsweredOffsets {
  /** What every metadata string of this kind starts with; the version is in it. */
  static final String PREFIX = "expertflow.answered/1:";

  /** Answered offsets must be below the committed offset plus this. */
  static final int MAX_SPAN = 16_384;

  private AnsweredOffsets() {}

  /**
   * The metadata string for {@code answered} above {@code committed}, or the empty string if there
   * are none.
   *
   * @throws IllegalArgumentException if an offset is not in {@code (committed, committed +
   *     MAX_SPAN)}
   */
  static String encode(long committed, Collection<Long> answered) {
    if (answered.isEmpty()) {
      return "";
    }
    BitSet bits = new BitSet();
    for (long offset : answered) {
      long i = offset - committed;
      if (i <= 0 || i >= MAX_SPAN) {
        throw new IllegalArgumentException(
            "offset "
                + offset
                + " answered ahead of committed offset "
                + committed
                + " is outside the span of "
                + MAX_SPAN);
      }
      bits.set((int) i);
    }
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bits.toByteArray());
  }

  /**
   * The offsets that {@code metadata}, committed with offset {@code committed}, names as answered;
   * empty for metadata of any other kind.
   *
   * @throws IllegalArgumentException if the metadata is of this kind but damaged: the caller cannot
   *     tell which records were answered
   */
  static NavigableSet<Long> decode(long committed, String metadata) {
    NavigableSet<Long> answered = new TreeSet<>();
    if (metadata == null || !metadata.startsWith(PREFIX)) {
      return answered;
    }
    BitSet bits;
    try {
      bits = BitSet.valueOf(Base64.getUrlDecoder().decode(metadata.substring(PREFIX.length())));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "damaged commit metadata at offset " + committed + ": " + e.getMessage(), e);
    }
    for (int i = bits.nextSetBit(0); i >= 0; i = bits.nextSetBit(i + 1)) {
      answered.add(committed + i);
    }
    return answered;
  }
}
