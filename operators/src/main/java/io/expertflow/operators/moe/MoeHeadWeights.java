package io.expertflow.operators.moe;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The parameters of an MoE head, as flat row-major float arrays.
 *
 * <p>Tensor layout (names are those of the ONNX initializers and of the model bundle):
 *
 * <ul>
 *   <li>{@code gate.weight} [E, H], {@code gate.bias} [E], {@code gate.route_bias} [E]
 *   <li>{@code experts.w1} [E, M, H], {@code experts.b1} [E, M]
 *   <li>{@code experts.w2} [E, L, M], {@code experts.b2} [E, L]
 *   <li>{@code domains.scale} [D, L], {@code domains.bias} [D, L]
 * </ul>
 *
 * <p>Not thread-safe: a trainer mutates it; serving code takes an immutable {@link #copy()}.
 */
public final class MoeHeadWeights {
  private final MoeHeadConfig config;
  final float[] gateW;
  final float[] gateB;
  final float[] routeBias;
  final float[] w1;
  final float[] b1;
  final float[] w2;
  final float[] b2;
  final float[] domainScale;
  final float[] domainBias;

  /** Zero weights except domain scales of 1 (a neutral domain level). */
  public MoeHeadWeights(MoeHeadConfig config) {
    this.config = config;
    int e = config.experts();
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    int d = config.domains();
    gateW = new float[e * h];
    gateB = new float[e];
    routeBias = new float[e];
    w1 = new float[e * m * h];
    b1 = new float[e * m];
    w2 = new float[e * l * m];
    b2 = new float[e * l];
    domainScale = new float[d * l];
    Arrays.fill(domainScale, 1f);
    domainBias = new float[d * l];
  }

  /** Weights drawn from a scaled normal distribution (He-style), for training and tests. */
  public static MoeHeadWeights random(MoeHeadConfig config, long seed) {
    MoeHeadWeights w = new MoeHeadWeights(config);
    Random random = new Random(seed);
    fill(w.gateW, random, Math.sqrt(1.0 / config.hidden()));
    fill(w.w1, random, Math.sqrt(2.0 / config.hidden()));
    fill(w.b1, random, 0.01);
    fill(w.w2, random, Math.sqrt(1.0 / config.expertHidden()));
    return w;
  }

  private static void fill(float[] a, Random random, double std) {
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) (random.nextGaussian() * std);
    }
  }

  public MoeHeadConfig config() {
    return config;
  }

  /** All tensors by name, in a stable order, with their shapes; arrays are live views. */
  public Map<String, Tensor> tensors() {
    int e = config.experts();
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    int d = config.domains();
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put("gate.weight", new Tensor(gateW, e, h));
    t.put("gate.bias", new Tensor(gateB, e));
    t.put("gate.route_bias", new Tensor(routeBias, e));
    t.put("experts.w1", new Tensor(w1, e, m, h));
    t.put("experts.b1", new Tensor(b1, e, m));
    t.put("experts.w2", new Tensor(w2, e, l, m));
    t.put("experts.b2", new Tensor(b2, e, l));
    t.put("domains.scale", new Tensor(domainScale, d, l));
    t.put("domains.bias", new Tensor(domainBias, d, l));
    return t;
  }

  /**
   * The tensors that belong to base expert {@code expert} alone (copies): {@code expert.<e>.w1} [M,
   * H], {@code .b1} [M], {@code .w2} [L, M], {@code .b2} [L], {@code .gate} [H + 1] (its gate row
   * followed by its gate bias). An expert update replaces exactly these.
   */
  public Map<String, Tensor> expertTensors(int expert) {
    checkExpert(expert);
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    String p = "expert." + expert + ".";
    Map<String, Tensor> t = new LinkedHashMap<>();
    t.put(p + "w1", new Tensor(slice(w1, expert, m * h), m, h));
    t.put(p + "b1", new Tensor(slice(b1, expert, m), m));
    t.put(p + "w2", new Tensor(slice(w2, expert, l * m), l, m));
    t.put(p + "b2", new Tensor(slice(b2, expert, l), l));
    float[] gate = new float[h + 1];
    System.arraycopy(gateW, expert * h, gate, 0, h);
    gate[h] = gateB[expert];
    t.put(p + "gate", new Tensor(gate, h + 1));
    return t;
  }

  /**
   * Replaces the tensors of one expert with those given (as returned by {@link #expertTensors}).
   */
  public void setExpertTensors(int expert, Map<String, Tensor> tensors) {
    Map<String, Tensor> expected = expertTensors(expert);
    if (!expected.keySet().equals(tensors.keySet())) {
      throw new IllegalArgumentException(
          "expert " + expert + " needs tensors " + expected.keySet() + ", got " + tensors.keySet());
    }
    for (Map.Entry<String, Tensor> entry : tensors.entrySet()) {
      Tensor want = expected.get(entry.getKey());
      if (!Arrays.equals(want.shape(), entry.getValue().shape())) {
        throw new IllegalArgumentException(
            entry.getKey()
                + " must have shape "
                + Arrays.toString(want.shape())
                + ", got "
                + Arrays.toString(entry.getValue().shape()));
      }
    }
    int h = config.hidden();
    int m = config.expertHidden();
    int l = config.labelCount();
    String p = "expert." + expert + ".";
    unslice(tensors.get(p + "w1").data(), w1, expert, m * h);
    unslice(tensors.get(p + "b1").data(), b1, expert, m);
    unslice(tensors.get(p + "w2").data(), w2, expert, l * m);
    unslice(tensors.get(p + "b2").data(), b2, expert, l);
    float[] gate = tensors.get(p + "gate").data();
    System.arraycopy(gate, 0, gateW, expert * h, h);
    gateB[expert] = gate[h];
  }

  /**
   * A copy with {@code added} labels appended to the label set: every base expert gets a new output
   * row of zero weights and bias {@code outputBias}, every domain a neutral column (scale 1, bias
   * 0); all other parameters are copied unchanged. With zero weights the new label's logit is
   * {@code outputBias} for every document whatever experts route it (the gates of the chosen
   * experts sum to one), so a bias well below the other labels' logits leaves every answer as it
   * was.
   *
   * @throws IllegalArgumentException if a label is already in the set or the list is empty
   */
  public MoeHeadWeights withAddedLabels(List<String> added, float outputBias) {
    if (added.isEmpty()) {
      throw new IllegalArgumentException("no label to add");
    }
    List<String> labels = new ArrayList<>(config.labels());
    for (String label : added) {
      if (labels.contains(label)) {
        throw new IllegalArgumentException(
            "label '" + label + "' is already in the label set " + config.labels());
      }
      labels.add(label);
    }
    MoeHeadConfig grown = config.withLabels(labels);
    MoeHeadWeights g = new MoeHeadWeights(grown);
    int m = config.expertHidden();
    int l = config.labelCount();
    int n = grown.labelCount();
    System.arraycopy(gateW, 0, g.gateW, 0, gateW.length);
    System.arraycopy(gateB, 0, g.gateB, 0, gateB.length);
    System.arraycopy(routeBias, 0, g.routeBias, 0, routeBias.length);
    System.arraycopy(w1, 0, g.w1, 0, w1.length);
    System.arraycopy(b1, 0, g.b1, 0, b1.length);
    for (int e = 0; e < config.experts(); e++) {
      System.arraycopy(w2, e * l * m, g.w2, e * n * m, l * m);
      System.arraycopy(b2, e * l, g.b2, e * n, l);
      Arrays.fill(g.b2, e * n + l, (e + 1) * n, outputBias);
    }
    for (int d = 0; d < config.domains(); d++) {
      System.arraycopy(domainScale, d * l, g.domainScale, d * n, l);
      System.arraycopy(domainBias, d * l, g.domainBias, d * n, l);
    }
    return g;
  }

  /** A deep copy. */
  public MoeHeadWeights copy() {
    MoeHeadWeights c = new MoeHeadWeights(config);
    Map<String, Tensor> to = c.tensors();
    tensors().forEach((name, t) -> System.arraycopy(t.data(), 0, to.get(name).data(), 0, t.size()));
    return c;
  }

  private void checkExpert(int expert) {
    if (expert < 0 || expert >= config.experts()) {
      throw new IllegalArgumentException(
          "expert must be in [0, " + config.experts() + "), was " + expert);
    }
  }

  private static float[] slice(float[] all, int index, int size) {
    return Arrays.copyOfRange(all, index * size, (index + 1) * size);
  }

  private static void unslice(float[] part, float[] all, int index, int size) {
    System.arraycopy(part, 0, all, index * size, size);
  }

  /** A named dense float tensor: row-major data and its shape. */
  public record Tensor(float[] data, int... shape) {
    public Tensor {
      long n = 1;
      for (int s : shape) {
        n *= s;
      }
      if (n != data.length) {
        throw new IllegalArgumentException(
            "tensor of shape "
                + Arrays.toString(shape)
                + " needs "
                + n
                + " values, got "
                + data.length);
      }
    }

    public int size() {
      return data.length;
    }
  }
}
