package io.expertflow.operators.moe;

import java.util.List;
import java.util.Objects;

/**
 * Shape of an MoE head. Immutable and validated on construction.
 *
 * @param hidden size of the input embedding (H), 384 for MiniLM
 * @param experts number of base experts (E)
 * @param topK experts chosen per document (k)
 * @param expertHidden hidden width inside each base expert (M)
 * @param domains number of domain experts (D); must divide {@code experts}
 * @param labels the label set, in output order
 */
public record MoeHeadConfig(
    int hidden, int experts, int topK, int expertHidden, int domains, List<String> labels) {

  public static final int DEFAULT_HIDDEN = 384;
  public static final int DEFAULT_EXPERTS = 128;
  public static final int DEFAULT_TOP_K = 2;
  public static final int DEFAULT_EXPERT_HIDDEN = 32;
  public static final int DEFAULT_DOMAINS = 32;

  public MoeHeadConfig {
    Objects.requireNonNull(labels, "labels");
    labels = List.copyOf(labels);
    require(hidden > 0, "hidden must be > 0, was " + hidden);
    require(experts > 0, "experts must be > 0, was " + experts);
    require(
        topK > 0 && topK <= experts, "topK must be in [1, experts=" + experts + "], was " + topK);
    require(expertHidden > 0, "expertHidden must be > 0, was " + expertHidden);
    require(
        domains > 0 && experts % domains == 0,
        "domains must be > 0 and divide experts=" + experts + ", was " + domains);
    require(labels.size() >= 2, "at least 2 labels are needed, got " + labels.size());
    require(labels.stream().distinct().count() == labels.size(), "labels must be distinct");
  }

  /** A head of the default sizes (E=128, k=2, M=32, D=32) over the given labels. */
  public static MoeHeadConfig defaults(List<String> labels) {
    return new MoeHeadConfig(
        DEFAULT_HIDDEN,
        DEFAULT_EXPERTS,
        DEFAULT_TOP_K,
        DEFAULT_EXPERT_HIDDEN,
        DEFAULT_DOMAINS,
        labels);
  }

  /** The same shape with another label set (the output rows follow the labels). */
  public MoeHeadConfig withLabels(List<String> value) {
    return new MoeHeadConfig(hidden, experts, topK, expertHidden, domains, value);
  }

  public int labelCount() {
    return labels.size();
  }

  /** Domain expert that base expert {@code expert} belongs to. */
  public int domainOf(int expert) {
    return expert / (experts / domains);
  }

  /** Parameters of one base expert: W1, b1, W2, b2 (the gate row is counted apart). */
  public long parametersPerExpert() {
    long m = expertHidden;
    return m * hidden + m + (long) labelCount() * m + labelCount();
  }

  /** Parameters of one gate row: the row of Wg plus its bias. */
  public long parametersPerGateRow() {
    return hidden + 1L;
  }

  /** All expert parameters of the head: base experts, gate, domain experts. */
  public long expertParameters() {
    return experts * (parametersPerExpert() + parametersPerGateRow()) + 2L * domains * labelCount();
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid MoE head config: " + message);
    }
  }
}
