package io.expertflow.operators.moe;

import java.util.Arrays;
import java.util.List;

/**
 * How documents spread over the base experts: for each expert the number of documents that chose it
 * among their top k. Shares therefore sum to k. Immutable.
 */
public final class ExpertLoad {
  private final long[] documentsPerExpert;
  private final long documents;

  public ExpertLoad(long[] documentsPerExpert, long documents) {
    this.documentsPerExpert = documentsPerExpert.clone();
    this.documents = documents;
  }

  /** Routes every sample through {@code weights} (no noise) and counts the experts chosen. */
  public static ExpertLoad measure(MoeHeadWeights weights, List<LabeledEmbedding> samples) {
    MoeHeadReference head = new MoeHeadReference(weights);
    long[] counts = new long[weights.config().experts()];
    for (LabeledEmbedding s : samples) {
      for (int e : head.select(head.gateLogits(s.embedding()))) {
        counts[e]++;
      }
    }
    return new ExpertLoad(counts, samples.size());
  }

  public int experts() {
    return documentsPerExpert.length;
  }

  public long documents() {
    return documents;
  }

  public long documentsOf(int expert) {
    return documentsPerExpert[expert];
  }

  /** Share of documents that chose {@code expert} (0 when there are no documents). */
  public double share(int expert) {
    return documents == 0 ? 0 : (double) documentsPerExpert[expert] / documents;
  }

  public double minShare() {
    return documents == 0
        ? 0
        : (double) Arrays.stream(documentsPerExpert).min().orElse(0) / documents;
  }

  public double maxShare() {
    return documents == 0
        ? 0
        : (double) Arrays.stream(documentsPerExpert).max().orElse(0) / documents;
  }

  /** Experts that no document chose. */
  public int deadExperts() {
    return (int) Arrays.stream(documentsPerExpert).filter(c -> c == 0).count();
  }

  /** Standard deviation of the per-expert counts divided by their mean (0 = perfectly even). */
  public double coefficientOfVariation() {
    double mean = Arrays.stream(documentsPerExpert).average().orElse(0);
    if (mean == 0) {
      return 0;
    }
    double var =
        Arrays.stream(documentsPerExpert).mapToDouble(c -> (c - mean) * (c - mean)).sum()
            / documentsPerExpert.length;
    return Math.sqrt(var) / mean;
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "experts=%d documents=%d dead=%d minShare=%.4f maxShare=%.4f cv=%.3f",
        experts(),
        documents,
        deadExperts(),
        minShare(),
        maxShare(),
        coefficientOfVariation());
  }
}
