package io.expertflow.model.lexical;

import io.expertflow.operators.moe.LabelEvidence;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * A TF-IDF model served beside the head: a softmax regression over a document's TF-IDF features
 * ({@link LexicalFeatures}), and the weight with which its log-probabilities join the head's. The
 * served answer is {@code softmax(log p_head + w · log p_words)} over the head's labels ({@link
 * #fuse}). A label the TF-IDF model was not trained on (one a weekly update added) gets the word
 * evidence of the label the others would answer, so it takes that answer's place exactly when the
 * head prefers it ({@link LabelEvidence#scores}).
 *
 * <p>Only the buckets some training documents used are kept; {@link LexicalModelFormat} is its
 * file. Immutable and thread-safe.
 */
public final class LexicalModel {
  /** Its file name in a bundle. */
  public static final String FILE = "lexical.bin";

  private final List<String> labels;
  private final double weight;
  private final int[] buckets; // ascending
  private final float[] idf; // per kept bucket
  private final float[][] weights; // label x (kept buckets + 1): the bias last
  private final int[] slot; // bucket -> index into buckets, or -1

  private LexicalModel(
      List<String> labels, double weight, int[] buckets, float[] idf, float[][] weights) {
    this.labels = List.copyOf(labels);
    this.weight = weight;
    this.buckets = buckets;
    this.idf = idf;
    this.weights = weights;
    this.slot = new int[LexicalFeatures.BUCKETS];
    Arrays.fill(slot, -1);
    for (int i = 0; i < buckets.length; i++) {
      slot[buckets[i]] = i;
    }
  }

  /**
   * The served model from a fitted one over all buckets, keeping the buckets whose inverse document
   * frequency is above 0.
   *
   * @param labels the label set, in the order of {@code weightsByBucket}'s rows
   * @param weight the weight of its log-probabilities beside the head's; above 0
   * @param idfByBucket each bucket's inverse document frequency, {@link LexicalFeatures#BUCKETS}
   *     long
   * @param weightsByBucket per label, each bucket's weight and the bias last
   */
  public static LexicalModel of(
      List<String> labels, double weight, float[] idfByBucket, float[][] weightsByBucket) {
    checkLabels(labels);
    checkWeight(weight);
    if (idfByBucket.length != LexicalFeatures.BUCKETS) {
      throw new IllegalArgumentException(
          "expected " + LexicalFeatures.BUCKETS + " buckets, got " + idfByBucket.length);
    }
    if (weightsByBucket.length != labels.size()) {
      throw new IllegalArgumentException(
          weightsByBucket.length + " weight rows for " + labels.size() + " labels");
    }
    int n = 0;
    for (float v : idfByBucket) {
      n += v > 0 ? 1 : 0;
    }
    int[] kept = new int[n];
    float[] idf = new float[n];
    for (int b = 0, k = 0; b < idfByBucket.length; b++) {
      if (idfByBucket[b] > 0) {
        kept[k] = b;
        idf[k++] = idfByBucket[b];
      }
    }
    float[][] w = new float[labels.size()][n + 1];
    for (int c = 0; c < w.length; c++) {
      if (weightsByBucket[c].length != LexicalFeatures.BUCKETS + 1) {
        throw new IllegalArgumentException("weight row " + c + " has the wrong length");
      }
      for (int k = 0; k < n; k++) {
        w[c][k] = weightsByBucket[c][kept[k]];
      }
      w[c][n] = weightsByBucket[c][LexicalFeatures.BUCKETS];
    }
    return new LexicalModel(labels, weight, kept, idf, w);
  }

  /** The labels it was trained on, in the order its probabilities index them. */
  public List<String> labels() {
    return labels;
  }

  /** The weight of its log-probabilities beside the head's. */
  public double weight() {
    return weight;
  }

  /** Number of buckets it reads (those some training documents used). */
  public int features() {
    return buckets.length;
  }

  /** The probability of each of its {@link #labels} for {@code text}. */
  public double[] probabilities(String text) {
    LexicalFeatures.Sparse s =
        LexicalFeatures.vector(LexicalFeatures.buckets(text), b -> slot[b] < 0 ? 0 : idf[slot[b]]);
    double[] z = new double[weights.length];
    for (int c = 0; c < z.length; c++) {
      float[] w = weights[c];
      double sum = w[w.length - 1];
      for (int k = 0; k < s.index().length; k++) {
        sum += w[slot[s.index()[k]]] * s.value()[k];
      }
      z[c] = sum;
    }
    softmax(z);
    return z;
  }

  /**
   * The served answer: the head's probabilities {@code head} over {@code headLabels}, times this
   * model's for {@code text} to the power of its weight, renormalised. Labels it does not know get
   * the evidence of the label the known ones would answer.
   *
   * @return one probability per label of {@code headLabels}, summing to 1
   */
  public float[] fuse(List<String> headLabels, float[] head, String text) {
    if (headLabels.size() != head.length) {
      throw new IllegalArgumentException(
          head.length + " probabilities for " + headLabels.size() + " labels");
    }
    return fuse(head, evidence(text, headLabels));
  }

  /**
   * The served answer from the evidence {@link #evidence} gave: {@code softmax(log head +
   * evidence)}, labels without evidence as {@link LabelEvidence#scores} treats them.
   */
  public static float[] fuse(float[] head, double[] evidence) {
    double[] z = LabelEvidence.scores(head, evidence);
    softmax(z);
    float[] p = new float[z.length];
    for (int c = 0; c < z.length; c++) {
      p[c] = (float) z[c];
    }
    return p;
  }

  /**
   * What it adds to the head's log-probabilities for {@code text}, per label of {@code labels}:
   * {@code w · log p} ({@link LabelEvidence#weighted}); NaN for a label it does not know, which
   * {@link LabelEvidence#scores} then treats as uncovered.
   */
  public double[] evidence(String text, List<String> labels) {
    double[] own = LabelEvidence.weighted(probabilities(text), weight);
    double[] e = new double[labels.size()];
    for (int c = 0; c < e.length; c++) {
      int i = this.labels.indexOf(labels.get(c));
      e[c] = i < 0 ? Double.NaN : own[i];
    }
    return e;
  }

  /**
   * {@code softmax(log h + w · log t)}, each probability floored at {@link LabelEvidence#FLOOR}
   * before its log; {@code t} null for {@code h} alone.
   */
  public static double[] combine(float[] h, double[] t, double w) {
    double[] z = LabelEvidence.scores(h, t == null ? new double[0] : LabelEvidence.weighted(t, w));
    softmax(z);
    return z;
  }

  /** Replaces the scores {@code z} by their softmax (shifted by the largest, so none overflows). */
  public static void softmax(double[] z) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : z) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (int c = 0; c < z.length; c++) {
      z[c] = Math.exp(z[c] - max);
      sum += z[c];
    }
    for (int c = 0; c < z.length; c++) {
      z[c] /= sum;
    }
  }

  /** Writes it to {@code file}, replacing what is there ({@link LexicalModelFormat}). */
  public void write(Path file) {
    LexicalModelFormat.write(this, file);
  }

  /**
   * Reads a model {@link #write} wrote ({@link LexicalModelFormat}).
   *
   * @throws IllegalArgumentException naming what is wrong with the file: another format, a
   *     truncated file, buckets out of order or a weight that is not a positive number
   * @throws java.io.UncheckedIOException when it cannot be read
   */
  public static LexicalModel read(Path file) {
    return LexicalModelFormat.read(file);
  }

  /** A model from the parts {@link LexicalModelFormat} read, checked. */
  static LexicalModel of(
      List<String> labels, double weight, int[] buckets, float[] idf, float[][] weights) {
    checkLabels(labels);
    checkWeight(weight);
    return new LexicalModel(labels, weight, buckets, idf, weights);
  }

  int[] buckets() {
    return buckets;
  }

  float[] idf() {
    return idf;
  }

  float[][] weights() {
    return weights;
  }

  private static void checkLabels(List<String> labels) {
    Objects.requireNonNull(labels, "labels");
    if (labels.isEmpty() || new HashSet<>(labels).size() != labels.size()) {
      throw new IllegalArgumentException("the labels must be distinct and not none: " + labels);
    }
    for (String label : labels) {
      if (label == null || label.isBlank()) {
        throw new IllegalArgumentException("a label is blank");
      }
    }
  }

  private static void checkWeight(double weight) {
    if (!(weight > 0) || Double.isInfinite(weight)) {
      throw new IllegalArgumentException(
          "the weight beside the head must be a positive number, was " + weight);
    }
  }
}
