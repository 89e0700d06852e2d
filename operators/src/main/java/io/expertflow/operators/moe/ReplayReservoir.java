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
import java.util.Random;

/**
 * A bounded, uniformly sampled reservoir (Vitter's algorithm R) of the training samples that each
 * base expert routes. An expert update replays them beside the week's feedback so the updated
 * experts do not forget what they already knew. Kept with the model. Not thread-safe.
 */
public final class ReplayReservoir {
  private static final int MAGIC = 0x45465252; // "EFRR"

  private final List<String> labels;
  private final int dim;
  private final int capacity;
  private final List<List<LabeledEmbedding>> perExpert;
  private final long[] offered;

  public ReplayReservoir(List<String> labels, int dim, int experts, int capacity) {
    this.labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
    if (dim <= 0 || experts <= 0 || capacity < 0) {
      throw new IllegalArgumentException(
          "reservoir needs dim > 0, experts > 0, capacity >= 0; got "
              + dim
              + ", "
              + experts
              + ", "
              + capacity);
    }
    this.dim = dim;
    this.capacity = capacity;
    this.perExpert = new ArrayList<>(experts);
    for (int e = 0; e < experts; e++) {
      perExpert.add(new ArrayList<>());
    }
    this.offered = new long[experts];
  }

  /**
   * Builds a reservoir from the training set: every sample is offered to each expert that the
   * trained head routes it to.
   */
  public static ReplayReservoir of(
      MoeHeadWeights weights, List<LabeledEmbedding> samples, int capacity, long seed) {
    MoeHeadConfig c = weights.config();
    ReplayReservoir reservoir = new ReplayReservoir(c.labels(), c.hidden(), c.experts(), capacity);
    MoeHeadReference head = new MoeHeadReference(weights);
    Random random = new Random(seed);
    for (LabeledEmbedding s : samples) {
      for (int e : head.select(head.gateLogits(s.embedding()))) {
        reservoir.offer(e, s, random);
      }
    }
    return reservoir;
  }

  /** Offers one sample to an expert's reservoir; it is kept with probability capacity / seen. */
  public void offer(int expert, LabeledEmbedding sample, Random random) {
    if (sample.embedding().length != dim || sample.label() >= labels.size()) {
      throw new IllegalArgumentException(
          "sample does not fit the reservoir (dim " + dim + ", " + labels.size() + " labels)");
    }
    List<LabeledEmbedding> kept = perExpert.get(expert);
    long seen = ++offered[expert];
    if (kept.size() < capacity) {
      kept.add(sample);
    } else if (capacity > 0) {
      long slot = (long) (random.nextDouble() * seen);
      if (slot < capacity) {
        kept.set((int) slot, sample);
      }
    }
  }

  /** The samples kept for {@code expert} (an unmodifiable copy). */
  public List<LabeledEmbedding> samples(int expert) {
    return List.copyOf(perExpert.get(expert));
  }

  /** Every expert's samples, expert by expert (a sample several experts kept appears once each). */
  public List<LabeledEmbedding> allSamples() {
    List<LabeledEmbedding> all = new java.util.ArrayList<>();
    perExpert.forEach(all::addAll);
    return all;
  }

  public int experts() {
    return perExpert.size();
  }

  public int capacity() {
    return capacity;
  }

  public List<String> labels() {
    return labels;
  }

  /** Writes the reservoir; the stream is flushed, not closed. */
  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
    LabeledEmbeddingCodec.writeHeader(out, MAGIC, dim, labels);
    out.writeInt(perExpert.size());
    out.writeInt(capacity);
    for (int e = 0; e < perExpert.size(); e++) {
      out.writeLong(offered[e]);
      LabeledEmbeddingCodec.write(out, perExpert.get(e), dim);
    }
    out.flush();
  }

  public static ReplayReservoir readFrom(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    LabeledEmbeddingCodec.Header header =
        LabeledEmbeddingCodec.readHeader(in, MAGIC, "replay reservoir");
    int experts = in.readInt();
    int capacity = in.readInt();
    if (experts <= 0 || capacity < 0) {
      throw new IOException(
          "corrupt replay reservoir: " + experts + " experts, capacity " + capacity);
    }
    ReplayReservoir r = new ReplayReservoir(header.labels(), header.dim(), experts, capacity);
    for (int e = 0; e < experts; e++) {
      r.offered[e] = in.readLong();
      List<LabeledEmbedding> samples =
          LabeledEmbeddingCodec.read(in, header.dim(), header.labels().size());
      if (samples.size() > capacity) {
        throw new IOException(
            "corrupt replay reservoir: expert " + e + " holds " + samples.size() + " > capacity");
      }
      r.perExpert.get(e).addAll(samples);
    }
    return r;
  }
}
