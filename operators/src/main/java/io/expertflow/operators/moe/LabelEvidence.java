package io.expertflow.operators.moe;

/**
 * Evidence about a document's labels that sits beside the head's probabilities and does not change
 * when the head does, such as a TF-IDF model's opinion of its words. A served answer is the argmax
 * (or the softmax) of {@link #scores}: the head's log-probabilities plus the evidence. A label the
 * evidence does not cover (one added after it was computed) gets the evidence of the label the
 * covered ones would answer, so it takes that answer's place exactly when the head prefers it, and
 * the evidence neither pushes nor holds it back. Stateless.
 */
public final class LabelEvidence {
  /** The smallest probability whose logarithm is taken. */
  public static final double FLOOR = 1e-12;

  private LabelEvidence() {}

  /** The evidence of a model's probabilities at {@code weight}: {@code w · log max(p, FLOOR)}. */
  public static double[] weighted(double[] probabilities, double weight) {
    double[] e = new double[probabilities.length];
    for (int c = 0; c < e.length; c++) {
      e[c] = weight * Math.log(Math.max(probabilities[c], FLOOR));
    }
    return e;
  }

  /**
   * The served scores {@code log max(head, FLOOR) + evidence}, label by label. A label the evidence
   * does not cover (beyond its length, or NaN) gets the evidence of the best-scoring covered label;
   * without any evidence the scores are the head's log-probabilities.
   *
   * @param head the head's probabilities; its first labels are the evidence's
   * @param evidence one value per label it covers (NaN: not covered), at most as many as {@code
   *     head} has
   */
  public static double[] scores(float[] head, double[] evidence) {
    if (evidence.length > head.length) {
      throw new IllegalArgumentException(
          "evidence for " + evidence.length + " labels, the head has " + head.length);
    }
    double[] z = new double[head.length];
    int answer = -1;
    for (int c = 0; c < z.length; c++) {
      z[c] = Math.log(Math.max(head[c], FLOOR));
      if (c < evidence.length && !Double.isNaN(evidence[c])) {
        z[c] += evidence[c];
        if (answer < 0 || z[c] > z[answer]) {
          answer = c;
        }
      }
    }
    if (answer >= 0) {
      for (int c = 0; c < z.length; c++) {
        if (c >= evidence.length || Double.isNaN(evidence[c])) {
          z[c] += evidence[answer];
        }
      }
    }
    return z;
  }

  /** The index of the largest probability (the first of equals). */
  public static int argmax(float[] p) {
    int best = 0;
    for (int c = 1; c < p.length; c++) {
      if (p[c] > p[best]) {
        best = c;
      }
    }
    return best;
  }

  /** The index of the largest score (the first of equals). */
  public static int argmax(double[] scores) {
    int best = 0;
    for (int c = 1; c < scores.length; c++) {
      if (scores[c] > scores[best]) {
        best = c;
      }
    }
    return best;
  }
}
