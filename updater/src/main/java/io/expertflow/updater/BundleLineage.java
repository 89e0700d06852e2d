package io.expertflow.updater;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.feedback.ExpertStatsAggregator;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The model versions that serve the updater's bundle: the bundle's own version and every version on
 * {@code model-versions} built on it. A week's feedback can rate answers of a bundle served before
 * it (a retrain whose workers were swapped during the week), whose experts are numbered by another
 * training: counted under this bundle's expert ids they would choose the wrong experts. {@link
 * #statsOf} keeps the per-expert statistics of this bundle's answers only. Immutable.
 *
 * @param versions the versions whose answers are this bundle's
 */
record BundleLineage(Set<String> versions) {
  BundleLineage {
    versions = Set.copyOf(versions);
  }

  /**
   * The lineage of a bundle.
   *
   * @param baseVersion the bundle's own version (its manifest's)
   * @param baseSha256 the bundle's checksum, as versions record it
   * @param history every version record on {@code model-versions}
   */
  static BundleLineage of(String baseVersion, String baseSha256, Collection<ModelVersion> history) {
    Set<String> versions = new TreeSet<>();
    versions.add(baseVersion);
    for (ModelVersion v : history) {
      if (baseSha256.contentEquals(v.getBaseBundleSha256())) {
        versions.add(v.getVersion().toString());
      }
    }
    return new BundleLineage(versions);
  }

  /** Whether a feedback event rated an answer of this bundle. */
  boolean answered(AttributedFeedback feedback) {
    return versions.contains(feedback.getModelVersion().toString());
  }

  /**
   * The window's per-expert statistics of this bundle's answers. When every attributed record of
   * the window rated this bundle's answers they are the topic's statistics as they are; otherwise
   * each expert's are folded again from its records of this bundle, as the statistics topology
   * folds them; an expert left with none keeps a record of no events, which chooses nothing (the
   * shared rows still learn from those answers' corrections where the bundle's encoder embedded
   * them).
   *
   * @param window the closed window, its statistics and its attributed records
   * @return the statistics and how many attributed records rated another bundle's answers
   */
  Stats statsOf(WindowBuffer.ClosedWindow window) {
    List<AttributedFeedback> ours = window.feedback().stream().filter(this::answered).toList();
    int others = window.feedback().size() - ours.size();
    if (others == 0) {
      return new Stats(window.stats(), 0);
    }
    Map<Integer, ExpertWindowStats> byExpert = new TreeMap<>();
    window.stats().forEach(s -> byExpert.put(s.getExpert(), ExpertStatsAggregator.empty()));
    for (AttributedFeedback f : ours) {
      ExpertWindowStats sofar = byExpert.getOrDefault(f.getExpert(), ExpertStatsAggregator.empty());
      byExpert.put(f.getExpert(), ExpertStatsAggregator.add(sofar, f));
    }
    long start = window.start().toEpochMilli();
    long end = window.end().toEpochMilli();
    List<ExpertWindowStats> stats =
        byExpert.entrySet().stream()
            .map(e -> ExpertStatsAggregator.close(e.getValue(), e.getKey(), start, end))
            .toList();
    return new Stats(stats, others);
  }

  /**
   * Per-expert statistics of one bundle's answers.
   *
   * @param stats one record per expert of the window, counting this bundle's answers only
   * @param otherBundles attributed records of the window left out: they rated another bundle's
   */
  record Stats(List<ExpertWindowStats> stats, int otherBundles) {}
}
