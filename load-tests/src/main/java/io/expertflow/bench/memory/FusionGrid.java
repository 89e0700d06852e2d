package io.expertflow.bench.memory;

import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.FusedPrediction;
import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.Neighbour;
import io.expertflow.memory.NeighbourFusion;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.model.training.ClassificationMetrics;
import io.expertflow.operators.moe.MoeHeadReference;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Documents scored once (the head's probabilities and the memory's neighbours), then judged under
 * many fusion settings; the setting is chosen on validation documents only. Stateless.
 */
final class FusionGrid {
  static final double[] WEIGHTS = {0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0};
  static final double[] TEMPERATURES = {0.01, 0.02, 0.05, 0.1, 0.2};

  /**
   * A document, its served probabilities over {@code headLabels} (a shift model lacks the held-out
   * label) and its neighbours.
   */
  record Scored(int label, float[] head, List<String> headLabels, List<Neighbour> neighbours) {}

  private FusionGrid() {}

  /**
   * Scores {@code docs}: the head's probabilities, with {@code lexical}'s opinion of each text
   * fused in as a worker does ({@link LexicalModel#fuse}) unless it is null, and the memory's
   * neighbours.
   */
  static List<Scored> score(
      List<EmbeddedSplit.Doc> docs,
      MoeHeadReference head,
      LexicalModel lexical,
      List<String> headLabels,
      DocumentMemory memory,
      String tenant,
      int k)
      throws IOException {
    List<Scored> out = new ArrayList<>(docs.size());
    for (EmbeddedSplit.Doc d : docs) {
      float[] p = head.forward(d.embedding()).probabilities();
      out.add(
          new Scored(
              d.label(),
              lexical == null ? p : lexical.fuse(headLabels, p, d.text()),
              headLabels,
              memory.nearest(tenant, null, d.embedding(), k)));
    }
    return out;
  }

  static ClassificationMetrics evaluate(
      List<String> labels, List<Scored> docs, FusionConfig config) {
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (Scored s : docs) {
      // a corrected neighbour may answer a label the head lacks: compare by name
      m.add(s.label(), labels.indexOf(fusion(s, config).fuse(s.head(), s.neighbours()).label()));
    }
    return m;
  }

  /** Share of documents whose nearest neighbour is a near-duplicate under {@code config}. */
  static double nearDuplicateShare(List<String> labels, List<Scored> docs, FusionConfig config) {
    long flagged = 0;
    for (Scored s : docs) {
      FusedPrediction p = fusion(s, config).fuse(s.head(), s.neighbours());
      flagged += p.nearDuplicate().isPresent() ? 1 : 0;
    }
    return docs.isEmpty() ? Double.NaN : (double) flagged / docs.size();
  }

  /** Share of documents with at least one voting neighbour under {@code config}. */
  static double coverage(List<String> labels, List<Scored> docs, FusionConfig config) {
    long covered = 0;
    for (Scored s : docs) {
      covered += fusion(s, config).fuse(s.head(), s.neighbours()).voters() > 0 ? 1 : 0;
    }
    return docs.isEmpty() ? Double.NaN : (double) covered / docs.size();
  }

  private static NeighbourFusion fusion(Scored s, FusionConfig config) {
    return new NeighbourFusion(s.headLabels(), config);
  }

  /** Mean cosine similarity of each document's nearest neighbour. */
  static double meanTopSimilarity(List<Scored> docs) {
    return docs.stream()
        .filter(s -> !s.neighbours().isEmpty())
        .mapToDouble(s -> s.neighbours().get(0).similarity())
        .average()
        .orElse(Double.NaN);
  }

  /**
   * The setting of best validation accuracy over {@link #WEIGHTS} x {@link #TEMPERATURES}; ties go
   * to the smaller weight, then the smaller temperature.
   */
  static FusionConfig choose(List<String> labels, List<Scored> validation, FusionConfig base) {
    FusionConfig best = base.withWeight(0);
    double bestAccuracy = evaluate(labels, validation, best).accuracy();
    for (double w : WEIGHTS) {
      for (double t : TEMPERATURES) {
        FusionConfig c = base.withWeight(w).withTemperature(t);
        double a = evaluate(labels, validation, c).accuracy();
        if (a > bestAccuracy + 1e-12) {
          best = c;
          bestAccuracy = a;
        }
      }
    }
    return best;
  }
}
