package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * What a user could pick instead of an encoder: a linear classifier on TF-IDF features of the
 * documents' words and word pairs, fitted on the training documents' whole text and judged on the
 * same test documents as the head. It says whether the encoder earns its cost on this data.
 *
 * <p>Features: lower-cased runs of letters and digits, and each pair of neighbouring ones; those in
 * at least {@link #MIN_DOCUMENT_FREQUENCY} training documents; sublinear term frequency {@code 1 +
 * ln tf} times the smoothed inverse document frequency {@code ln((1 + n) / (1 + df)) + 1}; each
 * document's vector scaled to unit length. Classifier: a softmax regression over the labels,
 * AdaGrad on one document at a time (step {@link #STEP}), at most {@link #EPOCHS} passes in a
 * seeded order, the pass with the best validation accuracy kept (the first of equals; the last pass
 * without validation documents). Deterministic for the same documents and seed. Immutable once
 * fitted.
 */
final class TfIdfBaseline {
  static final int MIN_DOCUMENT_FREQUENCY = 2;
  static final int EPOCHS = 30;
  static final double STEP = 0.5;

  private final Map<String, Integer> vocabulary;
  private final float[] idf;
  private final List<String> labels;
  private final float[][] weights; // label x (features + 1): the bias last

  private TfIdfBaseline(
      Map<String, Integer> vocabulary, float[] idf, List<String> labels, float[][] weights) {
    this.vocabulary = vocabulary;
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
    Map<String, Integer> frequency = new HashMap<>();
    List<List<String>> terms = new ArrayList<>(train.size());
    for (LabeledDocument d : train) {
      List<String> t = terms(d.text());
      terms.add(t);
      t.stream().distinct().forEach(term -> frequency.merge(term, 1, Integer::sum));
    }
    Map<String, Integer> vocabulary = new HashMap<>();
    frequency.entrySet().stream()
        .filter(e -> e.getValue() >= MIN_DOCUMENT_FREQUENCY)
        .map(Map.Entry::getKey)
        .sorted()
        .forEach(term -> vocabulary.put(term, vocabulary.size()));
    float[] idf = new float[vocabulary.size()];
    vocabulary.forEach(
        (term, i) ->
            idf[i] = (float) (Math.log((1.0 + train.size()) / (1.0 + frequency.get(term))) + 1));
    TfIdfBaseline model =
        new TfIdfBaseline(
            vocabulary, idf, List.copyOf(labels), new float[labels.size()][idf.length + 1]);
    List<Sparse> x = new ArrayList<>(train.size());
    int[] y = new int[train.size()];
    for (int i = 0; i < train.size(); i++) {
      x.add(model.vector(terms.get(i)));
      y[i] = labelIndex(labels, train.get(i).label());
    }
    List<Sparse> vx = new ArrayList<>();
    int[] vy = new int[validation.size()];
    for (int i = 0; i < validation.size(); i++) {
      vx.add(model.vector(terms(validation.get(i).text())));
      vy[i] = labelIndex(labels, validation.get(i).label());
    }
    model.train(x, y, vx, vy, seed);
    return model;
  }

  /** The index into the label set of {@code text}'s most likely label. */
  int predict(String text) {
    return argmax(vector(terms(text)));
  }

  /** The baseline's figures on {@code test}, whose labels must all be in its label set. */
  ClassificationMetrics evaluate(List<LabeledDocument> test) {
    ClassificationMetrics m = new ClassificationMetrics(labels);
    for (LabeledDocument d : test) {
      m.add(labelIndex(labels, d.label()), predict(d.text()));
    }
    return m;
  }

  /** Terms kept: the vocabulary's size. */
  int features() {
    return idf.length;
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
      java.util.Collections.shuffle(order, random);
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
          for (int k = 0; k < s.index.length; k++) {
            int f = s.index[k];
            double gf = g * s.value[k];
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
    double max = Double.NEGATIVE_INFINITY;
    for (int c = 0; c < weights.length; c++) {
      p[c] = score(c, s);
      max = Math.max(max, p[c]);
    }
    double sum = 0;
    for (int c = 0; c < p.length; c++) {
      p[c] = Math.exp(p[c] - max);
      sum += p[c];
    }
    for (int c = 0; c < p.length; c++) {
      p[c] /= sum;
    }
  }

  private double score(int label, Sparse s) {
    float[] w = weights[label];
    double z = w[w.length - 1];
    for (int k = 0; k < s.index.length; k++) {
      z += w[s.index[k]] * s.value[k];
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

  /** A document's unit-length TF-IDF vector over the vocabulary. */
  private Sparse vector(List<String> terms) {
    Map<Integer, Integer> counts = new HashMap<>();
    for (String term : terms) {
      Integer i = vocabulary.get(term);
      if (i != null) {
        counts.merge(i, 1, Integer::sum);
      }
    }
    int[] index = counts.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
    float[] value = new float[index.length];
    double norm = 0;
    for (int k = 0; k < index.length; k++) {
      value[k] = (float) ((1 + Math.log(counts.get(index[k]))) * idf[index[k]]);
      norm += value[k] * value[k];
    }
    if (norm > 0) {
      float scale = (float) (1 / Math.sqrt(norm));
      for (int k = 0; k < value.length; k++) {
        value[k] *= scale;
      }
    }
    return new Sparse(index, value);
  }

  /** Lower-cased runs of letters and digits, then each pair of neighbours joined by a space. */
  static List<String> terms(String text) {
    List<String> words = new ArrayList<>();
    StringBuilder word = new StringBuilder();
    text.codePoints()
        .forEach(
            cp -> {
              if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
              } else if (word.length() > 0) {
                words.add(word.toString().toLowerCase(Locale.ROOT));
                word.setLength(0);
              }
            });
    if (word.length() > 0) {
      words.add(word.toString().toLowerCase(Locale.ROOT));
    }
    List<String> terms = new ArrayList<>(words.size() * 2);
    terms.addAll(words);
    for (int i = 1; i < words.size(); i++) {
      terms.add(words.get(i - 1) + " " + words.get(i));
    }
    return terms;
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

  private record Sparse(int[] index, float[] value) {}
}
