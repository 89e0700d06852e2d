package io.expertflow.operators.moe;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A fixed, held-out set of labelled embeddings that an expert update must not regress. Immutable.
 *
 * <p>When the bundle serves evidence beside the head (its TF-IDF model), each sample carries that
 * evidence, and {@link #accuracy} judges what workers answer ({@link LabelEvidence#scores}), not
 * the head alone. The evidence does not change with the head, so it is computed once, at training.
 *
 * @param labels label names, indexed by {@link LabeledEmbedding#label()}
 * @param dim embedding size
 * @param samples the samples
 * @param evidence per sample, the evidence over {@code labels} beside the head; empty when the
 *     bundle serves the head alone
 */
public record GuardSet(
    List<String> labels, int dim, List<LabeledEmbedding> samples, List<double[]> evidence) {
  private static final int MAGIC = 0x45464753; // "EFGS"
  private static final int EVIDENCE = 0x45564944; // "EVID", an optional block after the samples

  public GuardSet {
    labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
    samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
    evidence = List.copyOf(Objects.requireNonNull(evidence, "evidence"));
    for (LabeledEmbedding s : samples) {
      if (s.embedding().length != dim || s.label() >= labels.size()) {
        throw new IllegalArgumentException(
            "guard sample with "
                + s.embedding().length
                + " values and label "
                + s.label()
                + " does not fit dim "
                + dim
                + " and "
                + labels.size()
                + " labels");
      }
    }
    if (!evidence.isEmpty() && evidence.size() != samples.size()) {
      throw new IllegalArgumentException(
          "evidence for " + evidence.size() + " of " + samples.size() + " guard samples");
    }
    for (double[] e : evidence) {
      if (e.length != labels.size()) {
        throw new IllegalArgumentException(
            "guard evidence over " + e.length + " labels, the set has " + labels.size());
      }
    }
  }

  /** A guard set judged on the head alone. */
  public GuardSet(List<String> labels, int dim, List<LabeledEmbedding> samples) {
    this(labels, dim, samples, List.of());
  }

  /** The same samples with {@code value} beside the head (one array over the labels per sample). */
  public GuardSet withEvidence(List<double[]> value) {
    return new GuardSet(labels, dim, samples, value);
  }

  /** Whether the set judges the head with evidence beside it. */
  public boolean hasEvidence() {
    return !evidence.isEmpty();
  }

  /**
   * The scores of sample {@code i}'s labels as served: the head's probabilities {@code p} (its
   * first labels are this set's), with the sample's evidence beside them when there is some. A head
   * with fewer labels than the set (a shift model before an update adds its label) is scored on its
   * own labels, the evidence of the others dropped.
   */
  public double[] scores(int i, float[] p) {
    double[] e = evidence.isEmpty() ? new double[0] : evidence.get(i);
    return LabelEvidence.scores(p, e.length > p.length ? java.util.Arrays.copyOf(e, p.length) : e);
  }

  /**
   * The mean log-probability of the samples' labels as served under {@code weights}: the softmax of
   * {@link #scores}, read at each sample's label and never below the log of {@link
   * LabelEvidence#FLOOR} (the floor itself for a label the head lacks), so that no one sample
   * outweighs the rest; 0 if there are no samples. Finer than {@link #accuracy}, which it breaks
   * ties of: it also tells how sure the right answers are and how near the wrong ones came.
   */
  public double meanLogProbability(MoeHeadWeights weights) {
    MoeHeadReference head = new MoeHeadReference(weights);
    double sum = 0;
    for (int i = 0; i < samples.size(); i++) {
      double[] z = scores(i, head.forward(samples.get(i).embedding()).probabilities());
      int label = samples.get(i).label();
      double max = z[LabelEvidence.argmax(z)];
      double total = 0;
      for (double v : z) {
        total += Math.exp(v - max);
      }
      double logProbability =
          label < z.length ? z[label] - max - Math.log(total) : Math.log(LabelEvidence.FLOOR);
      sum += Math.max(logProbability, Math.log(LabelEvidence.FLOOR));
    }
    return samples.isEmpty() ? 0 : sum / samples.size();
  }

  /**
   * The samples that {@code before} answers right and {@code after} does not, as served, counted by
   * their label: what a change of the head took from the labels of this set. Labels in name order;
   * empty if it took nothing.
   */
  public SortedMap<String, Integer> taken(MoeHeadWeights before, MoeHeadWeights after) {
    return taken(right(before), after);
  }

  /**
   * As {@link #taken(MoeHeadWeights, MoeHeadWeights)}, with the samples answered right before given
   * by {@link #right}, so that several changes of one head are judged against one reading of it.
   */
  public SortedMap<String, Integer> taken(boolean[] rightBefore, MoeHeadWeights after) {
    if (rightBefore.length != samples.size()) {
      throw new IllegalArgumentException(
          rightBefore.length + " answers for " + samples.size() + " guard samples");
    }
    MoeHeadReference head = new MoeHeadReference(after);
    SortedMap<String, Integer> taken = new TreeMap<>();
    for (int i = 0; i < samples.size(); i++) {
      int label = samples.get(i).label();
      if (rightBefore[i] && served(head, i) != label) {
        taken.merge(labels.get(label), 1, Integer::sum);
      }
    }
    return taken;
  }

  /** Per sample, whether its served answer under {@code weights} is its label. */
  public boolean[] right(MoeHeadWeights weights) {
    MoeHeadReference head = new MoeHeadReference(weights);
    boolean[] right = new boolean[samples.size()];
    for (int i = 0; i < right.length; i++) {
      right[i] = served(head, i) == samples.get(i).label();
    }
    return right;
  }

  /** The share of samples whose served answer under {@code weights} is their label (0 if none). */
  public double accuracy(MoeHeadWeights weights) {
    if (evidence.isEmpty()) {
      return MoeHeadTrainer.accuracy(weights, samples);
    }
    int right = 0;
    for (boolean r : right(weights)) {
      right += r ? 1 : 0;
    }
    return samples.isEmpty() ? 0 : (double) right / samples.size();
  }

  /** Sample {@code i}'s served answer under {@code head}. */
  private int served(MoeHeadReference head, int i) {
    return LabelEvidence.argmax(
        scores(i, head.forward(samples.get(i).embedding()).probabilities()));
  }

  /** Writes the set; the stream is flushed, not closed. */
  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
    LabeledEmbeddingCodec.writeHeader(out, MAGIC, dim, labels);
    LabeledEmbeddingCodec.write(out, samples, dim);
    if (!evidence.isEmpty()) {
      out.writeInt(EVIDENCE);
      for (double[] e : evidence) {
        for (double v : e) {
          out.writeDouble(v);
        }
      }
    }
    out.flush();
  }

  /**
   * Reads a set {@link #writeTo} wrote; a set written before the evidence block existed reads as
   * one without evidence.
   */
  public static GuardSet readFrom(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    LabeledEmbeddingCodec.Header header = LabeledEmbeddingCodec.readHeader(in, MAGIC, "guard set");
    List<LabeledEmbedding> samples =
        LabeledEmbeddingCodec.read(in, header.dim(), header.labels().size());
    int first = in.read();
    if (first == -1) {
      return new GuardSet(header.labels(), header.dim(), samples);
    }
    int marker = (first << 24) | (in.readUnsignedByte() << 16) | in.readUnsignedShort();
    if (marker != EVIDENCE) {
      throw new IOException(
          "guard set: unexpected bytes after the samples (not an evidence block)");
    }
    List<double[]> evidence = new ArrayList<>(samples.size());
    for (int i = 0; i < samples.size(); i++) {
      double[] e = new double[header.labels().size()];
      for (int c = 0; c < e.length; c++) {
        e[c] = in.readDouble();
      }
      evidence.add(e);
    }
    if (in.read() != -1) {
      throw new IOException("guard set: bytes after the evidence block");
    }
    return new GuardSet(header.labels(), header.dim(), samples, evidence);
  }
}
