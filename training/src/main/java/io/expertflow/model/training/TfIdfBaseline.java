package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalFeatures.Sparse;
import io.expertflow.model.lexical.LexicalModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * What a user could pick instead of an encoder: a linear classifier on TF-IDF features of the
 * documents' words and word pairs, fitted on the training documents' whole text and judged on the
 * same test documents as the head. It says whether the encoder earns its cost on this data.
 *
 * <p>Features ({@link LexicalFeatures}): lower-cased runs of letters and digits, and each pair of
 * neighbouring ones, hashed into {@code 2^18} buckets (so memory stays bounded whatever the
 * vocabulary); buckets used by at least {@link #MIN_DOCUMENT_FREQUENCY} training documents;
 * sublinear term frequency {@code 1 + ln tf} times the smoothed inverse document frequency {@code
 * ln((1 + n) / (1 + df)) + 1}; each document's vector scaled to unit length. Classifier: a softmax
 * regression over the labels, AdaGrad on one document at a time (step {@link #STEP}), at most
 * {@link #EPOCHS} passes in a seeded order, the pass with the best validation accuracy kept (the
 * first of equals; the last pass without validation documents). At most {@link #MAX_DOCUMENTS}
 * training documents, a seeded sample of larger sets. Deterministic for the same documents and
 * seed. Immutable once fitted.
 */
final class TfIdfBaseline {
  static final int MIN_DOCUMENT_FREQUENCY = 2;
  static final int MAX_DOCUMENTS = 20_000;
  static final int EPOCHS = 30;
  static final double STEP = 0.5;

  private final float[] idf; // 0 for a bucket too few training documents use
  private final List<String> labels;
  private final float[][] weights; // label x (features + 1): the bias last

  private TfIdfBaseline(float[] idf, List<String> labels, float[][] weights) {
    this.idf = idf;
    this.labels = labels;
    this.weights = weights;
  }

  /**
   * Fits the baseline.
   *
   * @param train documents to learn from; each label must be one of {@code labels}
   * @param validation documents that choose the pass kept (may be empty)
   * @param labels the label set, in the order predictions index it
   * @param seed seed of the document order
   * @throws IllegalArgumentException if {@code train} is empty or names a label not in {@code
   *     labels}
   */
  static TfIdfBaseline fit(
      List<LabeledDocument> train,
      List<LabeledDocument> validation,
      List<String> labels,
      long seed) {
    if (train.isEmpty()) {
      throw new IllegalArgumentException("the TF-IDF baseline needs training documents");
    }
    if (train.size() > MAX_DOCUMENTS) {
      List<LabeledDocument> sample = new ArrayList<>(train);
      Collections.shuffle(sample, new Random(seed));
      train = sample.subList(0, MAX_DOCUMENTS);
    }
    int[] frequency = new int[LexicalFeatures.BUCKETS];
    List<int[]> buckets = new ArrayList<>(train.size());
    for (LabeledDocument d : train) {
      int[] b = buckets(d.text());
      buckets.add(b);
      Arrays.stream(b).distinct().forEach(i -> frequency[i]++);
    }
    float[] idf = new float[frequency.length];
    for (int i = 0; i < idf.length; i++) {
      if (frequency[i] >= MIN_DOCUMENT_FREQUENCY) {
        idf[i] = (float) (Math.log((1.0 + train.size()) / (1.0 + frequency[i])) + 1);
      }
    }
    TfIdfBaseline model =
        new TfIdfBaseline(idf, List.copyOf(labels), new float[labels.size()][idf.length + 1]);
    List<Sparse> x = new ArrayList<>(train.size());
    int[] y = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      x.add(model.vector(buckets.get(i)));
      y[i] = labelIndex(labels, train.get(i).label());
    }
    List<Sparse> vx = new ArrayList<>();
    int[] vy = new int[validation.size()];
    for (int i = 0; i < validation.size(); i++) {
      vx.add(model.vector(buckets(validation.get(i).text())));
      vy[i] = labelIndex(labels, validation.get(i).label());
    }
    model.train(x, y, vx, vy, seed);
    return model;
  }

  /** The probability of each label of the label set for {@code text}. */
  double[] probabilities(String text) {
    double[] p = new double[weights.length];
    softmax(vector(buckets(text)), p);
    return p;
  }

  /** The index into the label set of {@code text}'s most likely label. */
  int predict(String text) {
    return argmax(vector(buckets(text)));
  }

  /** The baseline's figures on {@code test}, whose labels must all be in its label set. */
  ClassificationMetrics evaluate(List<LabeledDocument> test) {
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (LabeledDocument d : test) {
      m.add(labelIndex(labels, d.label()), predict(d.text()));
    }
    return m;
  }

  /** Buckets the features use: those of at least {@link #MIN_DOCUMENT_FREQUENCY} documents. */
  int features() {
    int n = 0;
    for (float v : idf) {
      n += v > 0 ? 1 : 0;
    }
    return n;
  }

  private void train(List<Sparse> x, int[] y, List<Sparse> vx, int[] vy, long seed) {
    int labelCount = weights.length;
    int width = idf.length + 1;
    float[][] squares = new float[labelCount][width];
    float[][] best = null;
    double bestAccuracy = -1;
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < x.size(); i++) {
      order.add(i);
    }
    Random random = new Random(seed);
    double[] p = new double[labelCount];
    for (int epoch = 0; epoch < EPOCHS; epoch++) {
      Collections.shuffle(order, random);
      for (int i : order) {
        Sparse s = x.get(i);
        softmax(s, p);
        for (int c = 0; c < labelCount; c++) {
          double g = p[c] - (c == y[i] ? 1 : 0);
          if (g == 0) {
            continue;
          }
          float[] w = weights[c];
          float[] q = squares[c];
          for (int k = 0; k < s.index().length; k++) {
            int f = s.index()[k];
            double gf = g * s.value()[k];
            q[f] += (float) (gf * gf);
            w[f] -= (float) (STEP * gf / Math.sqrt(q[f] + 1e-8));
          }
          q[width - 1] += (float) (g * g);
          w[width - 1] -= (float) (STEP * g / Math.sqrt(q[width - 1] + 1e-8));
        }
      }
      if (!vx.isEmpty()) {
        int right = 0;
        for (int i = 0; i < vx.size(); i++) {
          right += argmax(vx.get(i)) == vy[i] ? 1 : 0;
        }
        double accuracy = (double) right / vx.size();
        if (accuracy > bestAccuracy) {
          bestAccuracy = accuracy;
          best = copy(weights);
        }
      }
    }
    if (best != null) {
      for (int c = 0; c < labelCount; c++) {
        weights[c] = best[c];
      }
    }
  }

  private void softmax(Sparse s, double[] p) {
    for (int c = 0; c < weights.length; c++) {
      p[c] = score(c, s);
    }
    LexicalModel.softmax(p);
  }

  private double score(int label, Sparse s) {
    float[] w = weights[label];
    double z = w[w.length - 1];
    for (int k = 0; k < s.index().length; k++) {
      z += w[s.index()[k]] * s.value()[k];
    }
    return z;
  }

  private int argmax(Sparse s) {
    int best = 0;
    double bestScore = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < weights.length; c++) {
      double z = score(c, s);
      if (z > bestScore) {
        bestScore = z;
        best = c;
      }
    }
    return best;
  }

  /** A document's unit-length TF-IDF vector over the buckets in use. */
  private Sparse vector(int[] buckets) {
    return LexicalFeatures.vector(buckets, i -> idf[i]);
  }

  /** The bucket of each of the text's terms, in order. */
  static int[] buckets(String text) {
    return LexicalFeatures.buckets(text);
  }

  /** The served form of this model, with {@code weight} beside the head. */
  LexicalModel served(double weight) {
    return LexicalModel.of(labels, weight, idf, weights);
  }

  private static int labelIndex(List<String> labels, String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException(
          "label '" + label + "' is not in the baseline's label set " + labels);
    }
    return i;
  }

  private static float[][] copy(float[][] w) {
    float[][] c = new float[w.length][];
    for (int i = 0; i < w.length; i++) {
      c[i] = Arrays.copyOf(w[i], w[i].length);
    }
    return c;
  }
}
