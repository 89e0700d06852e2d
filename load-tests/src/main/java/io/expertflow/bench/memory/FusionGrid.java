package io.expertflow.bench.memory;

import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.FusedPrediction;
import io.expertflow.memory.FusionConfig;
import io.expertflow.memory.Neighbour;
import io.expertflow.memory.NeighbourFusion;
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

  /** One document's true label, head probabilities and neighbours. */
  record Scored(int label, float[] head, List<Neighbour> neighbours) {}

  private FusionGrid() {}

  static List<Scored> score(
      List<EmbeddedSplit.Doc> docs,
      MoeHeadReference head,
      DocumentMemory memory,
      String tenant,
      int k)
      throws IOException {
    List<Scored> out = new ArrayList<>(docs.size());
    for (EmbeddedSplit.Doc d : docs) {
      out.add(
          new Scored(
              d.label(),
              head.forward(d.embedding()).probabilities(),
              memory.nearest(tenant, d.embedding(), k)));
    }
    return out;
  }

  static ClassificationMetrics evaluate(
      List<String> labels, List<Scored> docs, FusionConfig config) {
    NeighbourFusion fusion = new NeighbourFusion(labels, config);
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (Scored s : docs) {
      m.add(s.label(), fusion.fuse(s.head(), s.neighbours()).argmax());
    }
    return m;
  }

  /** Share of documents whose nearest neighbour is a near-duplicate under {@code config}. */
  static double nearDuplicateShare(List<String> labels, List<Scored> docs, FusionConfig config) {
    NeighbourFusion fusion = new NeighbourFusion(labels, config);
    long flagged = 0;
    for (Scored s : docs) {
      FusedPrediction p = fusion.fuse(s.head(), s.neighbours());
      flagged += p.nearDuplicate().isPresent() ? 1 : 0;
    }
    return docs.isEmpty() ? Double.NaN : (double) flagged / docs.size();
  }

  /** Share of documents with at least one voting neighbour under {@code config}. */
  static double coverage(List<String> labels, List<Scored> docs, FusionConfig config) {
    NeighbourFusion fusion = new NeighbourFusion(labels, config);
    long covered = 0;
    for (Scored s : docs) {
      covered += fusion.fuse(s.head(), s.neighbours()).voters() > 0 ? 1 : 0;
    }
    return docs.isEmpty() ? Double.NaN : (double) covered / docs.size();
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
