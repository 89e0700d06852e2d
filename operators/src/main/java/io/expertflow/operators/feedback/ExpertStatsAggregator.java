package io.expertflow.operators.feedback;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * Folds attributed feedback into an expert's window statistics. Works on copies: the input
 * aggregate is never changed, so it is safe as a Kafka Streams aggregator. Stateless; thread-safe.
 *
 * <p>Label confusion counts every event that carries a corrected label, keyed by (predicted,
 * corrected): off-diagonal entries are corrections, diagonal ones confirmations. Entries and model
 * versions are kept sorted so equal inputs give equal records.
 */
public final class ExpertStatsAggregator {
  private static final Comparator<LabelConfusion> ORDER =
      Comparator.comparing((LabelConfusion c) -> c.getPredicted().toString())
          .thenComparing(c -> c.getActual().toString());

  private ExpertStatsAggregator() {}

  /** The empty aggregate; expert, window and rate are set by {@link #close}. */
  public static ExpertWindowStats empty() {
    return ExpertWindowStats.newBuilder()
        .setExpert(-1)
        .setWindowStart(Instant.EPOCH)
        .setWindowEnd(Instant.EPOCH)
        .setCount(0L)
        .setNegatives(0L)
        .setNegativeRate(0.0)
        .setGateWeightSum(0.0)
        .setConfusion(new ArrayList<>())
        .setModelVersions(new ArrayList<>())
        .build();
  }

  /** {@code stats} with {@code feedback} added. */
  public static ExpertWindowStats add(ExpertWindowStats stats, AttributedFeedback feedback) {
    ExpertWindowStats next = ExpertWindowStats.newBuilder(stats).build();
    next.setExpert(feedback.getExpert());
    next.setCount(stats.getCount() + 1);
    next.setNegatives(stats.getNegatives() + (feedback.getNegative() ? 1 : 0));
    next.setGateWeightSum(stats.getGateWeightSum() + feedback.getGateWeight());
    next.setNegativeRate(rate(next.getNegatives(), next.getCount()));
    if (feedback.getCorrectedLabel() != null) {
      next.setConfusion(
          withConfusion(
              stats.getConfusion(),
              feedback.getPredictedLabel().toString(),
              feedback.getCorrectedLabel().toString()));
    }
    TreeSet<String> versions = new TreeSet<>();
    stats.getModelVersions().forEach(v -> versions.add(v.toString()));
    versions.add(feedback.getModelVersion().toString());
    next.setModelVersions(new ArrayList<>(versions));
    return next;
  }

  /** {@code stats} stamped with its expert and window bounds, and its negative rate. */
  public static ExpertWindowStats close(
      ExpertWindowStats stats, int expert, long windowStart, long windowEnd) {
    ExpertWindowStats closed = ExpertWindowStats.newBuilder(stats).build();
    closed.setExpert(expert);
    closed.setWindowStart(Instant.ofEpochMilli(windowStart));
    closed.setWindowEnd(Instant.ofEpochMilli(windowEnd));
    closed.setNegativeRate(rate(stats.getNegatives(), stats.getCount()));
    return closed;
  }

  private static List<LabelConfusion> withConfusion(
      List<LabelConfusion> current, String predicted, String actual) {
    List<LabelConfusion> out = new ArrayList<>(current.size() + 1);
    boolean found = false;
    for (LabelConfusion c : current) {
      if (predicted.contentEquals(c.getPredicted()) && actual.contentEquals(c.getActual())) {
        out.add(new LabelConfusion(predicted, actual, c.getCount() + 1));
        found = true;
      } else {
        out.add(new LabelConfusion(c.getPredicted(), c.getActual(), c.getCount()));
      }
    }
    if (!found) {
      out.add(new LabelConfusion(predicted, actual, 1L));
    }
    out.sort(ORDER);
    return out;
  }

  private static double rate(long negatives, long count) {
    return count == 0 ? 0.0 : (double) negatives / count;
  }
}
