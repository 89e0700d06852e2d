package io.expertflow.operators.moe;

import java.util.Arrays;
import java.util.Objects;

/**
 * Which parameters of a head may change: per base expert its gate row (weights and bias), its first
 * layer ({@code W1}, {@code b1}), each of its output rows ({@code W2} row and {@code b2} entry),
 * and per domain expert its scale and bias. Full training allows everything ({@link #all}); an
 * expert update allows only what its scope names for its chosen experts. {@link MoeBackprop} writes
 * no gradient outside the mask and {@link MoeAdam} steps nothing outside it. Immutable and
 * thread-safe.
 */
public final class MoeParameterMask {
  private final boolean[] gate;
  private final boolean[] firstLayer;
  private final boolean[][] outputRows;
  private final boolean[] anyOf;
  private final boolean[] domains;

  private MoeParameterMask(Builder b) {
    this.gate = b.gate.clone();
    this.firstLayer = b.firstLayer.clone();
    this.outputRows = new boolean[b.outputRows.length][];
    this.anyOf = new boolean[gate.length];
    for (int e = 0; e < gate.length; e++) {
      outputRows[e] = b.outputRows[e].clone();
      boolean any = gate[e] || firstLayer[e];
      for (boolean row : outputRows[e]) {
        any |= row;
      }
      anyOf[e] = any;
    }
    this.domains = b.domains.clone();
  }

  /** Every parameter may change, as in full training. */
  public static MoeParameterMask all(MoeHeadConfig config) {
    Builder b = builder(config);
    for (int e = 0; e < config.experts(); e++) {
      b.gateRow(e).firstLayer(e).allOutputRows(e);
    }
    for (int d = 0; d < config.domains(); d++) {
      b.domain(d);
    }
    return b.build();
  }

  /** A builder that allows nothing until told. */
  public static Builder builder(MoeHeadConfig config) {
    return new Builder(Objects.requireNonNull(config, "config"));
  }

  /** Whether expert {@code e}'s gate row and gate bias may change. */
  public boolean gateRow(int e) {
    return gate[e];
  }

  /** Whether expert {@code e}'s first layer may change. */
  public boolean firstLayer(int e) {
    return firstLayer[e];
  }

  /** Whether expert {@code e}'s output row of label {@code r} may change. */
  public boolean outputRow(int e, int r) {
    return outputRows[e][r];
  }

  /** Whether any parameter of expert {@code e} may change. */
  public boolean expert(int e) {
    return anyOf[e];
  }

  /** Whether domain expert {@code d}'s scale and bias may change. */
  public boolean domain(int d) {
    return domains[d];
  }

  /** Whether any of the {@code chosen} experts has a parameter that may change. */
  public boolean anyExpert(int[] chosen) {
    for (int e : chosen) {
      if (anyOf[e]) {
        return true;
      }
    }
    return false;
  }

  /** Collects allowed parameters; not thread-safe. */
  public static final class Builder {
    private final MoeHeadConfig config;
    private final boolean[] gate;
    private final boolean[] firstLayer;
    private final boolean[][] outputRows;
    private final boolean[] domains;

    private Builder(MoeHeadConfig config) {
      this.config = config;
      this.gate = new boolean[config.experts()];
      this.firstLayer = new boolean[config.experts()];
      this.outputRows = new boolean[config.experts()][config.labelCount()];
      this.domains = new boolean[config.domains()];
    }

    public Builder gateRow(int e) {
      gate[checkExpert(e)] = true;
      return this;
    }

    public Builder firstLayer(int e) {
      firstLayer[checkExpert(e)] = true;
      return this;
    }

    public Builder outputRow(int e, int r) {
      if (r < 0 || r >= config.labelCount()) {
        throw new IllegalArgumentException(
            "label row " + r + " is outside the " + config.labelCount() + " labels of the head");
      }
      outputRows[checkExpert(e)][r] = true;
      return this;
    }

    public Builder allOutputRows(int e) {
      Arrays.fill(outputRows[checkExpert(e)], true);
      return this;
    }

    public Builder domain(int d) {
      if (d < 0 || d >= domains.length) {
        throw new IllegalArgumentException(
            "domain " + d + " is outside the " + domains.length + " domains of the head");
      }
      domains[d] = true;
      return this;
    }

    public MoeParameterMask build() {
      return new MoeParameterMask(this);
    }

    private int checkExpert(int e) {
      if (e < 0 || e >= gate.length) {
        throw new IllegalArgumentException(
            "expert " + e + " is outside the " + gate.length + " experts of the head");
      }
      return e;
    }
  }
}
