package io.expertflow.model.training;

import java.util.List;
import java.util.Set;

/**
 * A confusion matrix over a label space and the figures derived from it. Figures over a subset of
 * labels count only documents whose true label is in the subset; a prediction outside the subset is
 * simply wrong. Not thread-safe while being filled.
 */
public final class ClassificationMetrics {
  private final List<String> labels;
  private final long[][] confusion;

  public ClassificationMetrics(List<String> labels) {
    this.labels = List.copyOf(labels);
    this.confusion = new long[labels.size()][labels.size()];
  }

  public void add(int actual, int predicted) {
    confusion[actual][predicted]++;
  }

  /** Documents whose true label is in {@code subset}. */
  public long support(Set<String> subset) {
    long n = 0;
    for (int a = 0; a < labels.size(); a++) {
      if (subset.contains(labels.get(a))) {
        for (long c : confusion[a]) {
          n += c;
        }
      }
    }
    return n;
  }

  /** Accuracy over documents whose true label is in {@code subset} (NaN if there are none). */
  public double accuracy(Set<String> subset) {
    long correct = 0;
    for (int a = 0; a < labels.size(); a++) {
      if (subset.contains(labels.get(a))) {
        correct += confusion[a][a];
      }
    }
    long n = support(subset);
    return n == 0 ? Double.NaN : (double) correct / n;
  }

  /** Accuracy over all documents. */
  public double accuracy() {
    return accuracy(Set.copyOf(labels));
  }

  /** Unweighted mean F1 over the labels of {@code subset} that have test documents. */
  public double macroF1(Set<String> subset) {
    double sum = 0;
    int n = 0;
    for (int i = 0; i < labels.size(); i++) {
      if (subset.contains(labels.get(i)) && rowTotal(i) > 0) {
        sum += f1(labels.get(i));
        n++;
      }
    }
    return n == 0 ? Double.NaN : sum / n;
  }

  /** Of the documents predicted as {@code label}, the share that truly are (0 if none). */
  public double precision(String label) {
    int i = index(label);
    long predicted = 0;
    for (long[] row : confusion) {
      predicted += row[i];
    }
    return predicted == 0 ? 0 : (double) confusion[i][i] / predicted;
  }

  /** Of the documents that truly are {@code label}, the share predicted as such (0 if none). */
  public double recall(String label) {
    int i = index(label);
    long total = rowTotal(i);
    return total == 0 ? 0 : (double) confusion[i][i] / total;
  }

  public double f1(String label) {
    double p = precision(label);
    double r = recall(label);
    return p + r == 0 ? 0 : 2 * p * r / (p + r);
  }

  /** A copy of the confusion matrix, rows = true label, columns = predicted label. */
  public long[][] confusion() {
    long[][] copy = new long[confusion.length][];
    for (int i = 0; i < copy.length; i++) {
      copy[i] = confusion[i].clone();
    }
    return copy;
  }

  public List<String> labels() {
    return labels;
  }

  private long rowTotal(int i) {
    long n = 0;
    for (long c : confusion[i]) {
      n += c;
    }
    return n;
  }

  private int index(String label) {
    int i = labels.indexOf(label);
    if (i < 0) {
      throw new IllegalArgumentException("unknown label '" + label + "', known: " + labels);
    }
    return i;
  }
}
