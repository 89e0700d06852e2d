package io.expertflow.streams.jobs;

import java.util.Map;
import java.util.TreeMap;

/**
 * Answers of a job over time: how many responses were produced in each bucket of {@code
 * bucketMillis}, keyed by the bucket's start (epoch ms). A request contributes one answer at its
 * response's time in a bucket of {@link #FINEST_BUCKET_MILLIS}; a job's sum coarsens itself by
 * doubling its bucket width whenever it would hold more than {@link #MAX_BUCKETS} buckets, so a job
 * of a million documents over days costs as little as one of a hundred over a minute. What the
 * console draws as throughput over time. Immutable.
 *
 * @param bucketMillis width of every bucket
 * @param counts answers per bucket start; no zero entries
 */
public record AnswerTimeline(long bucketMillis, Map<Long, Long> counts) {
  /** The width of one request's contribution, and of a job's timeline until it coarsens. */
  public static final long FINEST_BUCKET_MILLIS = 1_000;

  /** The most buckets a job's timeline keeps. */
  public static final int MAX_BUCKETS = 120;

  public AnswerTimeline {
    bucketMillis = bucketMillis <= 0 ? FINEST_BUCKET_MILLIS : bucketMillis;
    counts = counts == null ? Map.of() : new TreeMap<>(counts);
  }

  static AnswerTimeline empty() {
    return new AnswerTimeline(FINEST_BUCKET_MILLIS, Map.of());
  }

  /** One answer at {@code epochMillis}. */
  static AnswerTimeline one(long epochMillis) {
    return new AnswerTimeline(
        FINEST_BUCKET_MILLIS,
        Map.of(Math.floorDiv(epochMillis, FINEST_BUCKET_MILLIS) * FINEST_BUCKET_MILLIS, 1L));
  }

  /** This timeline with {@code other}'s counts added ({@code sign} 1) or taken away (-1). */
  AnswerTimeline combine(AnswerTimeline other, int sign) {
    long width = Math.max(bucketMillis, other.bucketMillis);
    TreeMap<Long, Long> out = rebucket(counts, width);
    for (Map.Entry<Long, Long> e : rebucket(other.counts, width).entrySet()) {
      out.merge(e.getKey(), sign * e.getValue(), Long::sum);
    }
    out.values().removeIf(v -> v == 0);
    while (out.size() > 1 && span(out, width) > MAX_BUCKETS) {
      width *= 2;
      out = rebucket(out, width);
    }
    return new AnswerTimeline(width, out);
  }

  private static long span(TreeMap<Long, Long> buckets, long width) {
    return (buckets.lastKey() - buckets.firstKey()) / width + 1;
  }

  private static TreeMap<Long, Long> rebucket(Map<Long, Long> counts, long width) {
    TreeMap<Long, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.merge(Math.floorDiv(k, width) * width, v, Long::sum));
    return out;
  }
}
