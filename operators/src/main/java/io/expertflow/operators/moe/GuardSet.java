package io.expertflow.operators.moe;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Objects;

/**
 * A fixed, held-out set of labelled embeddings that an expert update must not regress. Immutable.
 *
 * @param labels label names, indexed by {@link LabeledEmbedding#label()}
 * @param dim embedding size
 * @param samples the samples
 */
public record GuardSet(List<String> labels, int dim, List<LabeledEmbedding> samples) {
  private static final int MAGIC = 0x45464753; // "EFGS"

  public GuardSet {
    labels = List.copyOf(Objects.requireNonNull(labels, "labels"));
    samples = List.copyOf(Objects.requireNonNull(samples, "samples"));
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
  }

  /** Writes the set; the stream is flushed, not closed. */
  public void writeTo(OutputStream stream) throws IOException {
    DataOutputStream out = new DataOutputStream(new BufferedOutputStream(stream));
    LabeledEmbeddingCodec.writeHeader(out, MAGIC, dim, labels);
    LabeledEmbeddingCodec.write(out, samples, dim);
    out.flush();
  }

  public static GuardSet readFrom(InputStream stream) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(stream));
    LabeledEmbeddingCodec.Header header = LabeledEmbeddingCodec.readHeader(in, MAGIC, "guard set");
    List<LabeledEmbedding> samples =
        LabeledEmbeddingCodec.read(in, header.dim(), header.labels().size());
    return new GuardSet(header.labels(), header.dim(), samples);
  }
}
