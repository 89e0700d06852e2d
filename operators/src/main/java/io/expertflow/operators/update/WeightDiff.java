package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an update changed, counted exactly: scalars whose bits differ between two weight sets of one
 * shape. Tensors that belong to no single expert (routing biases, domain experts) must be
 * bit-identical; an expert tensor may differ only in an expert that was allowed to change.
 *
 * @param parametersChanged scalars whose bits differ, over all experts
 * @param changedByExpert scalars changed per expert, for the experts that changed
 */
public record WeightDiff(long parametersChanged, SortedMap<Integer, Long> changedByExpert) {
  private static final Set<String> SHARED_TENSORS =
      Set.of("gate.route_bias", "domains.scale", "domains.bias");

  public WeightDiff {
    changedByExpert = Collections.unmodifiableSortedMap(new TreeMap<>(changedByExpert));
  }

  /** The experts whose tensors differ, ascending. */
  public List<Integer> changedExperts() {
    return List.copyOf(changedByExpert.keySet());
  }

  /**
   * Compares {@code after} with {@code before}.
   *
   * @param allowed the experts that may differ
   * @throws IllegalStateException if a shared tensor or an expert outside {@code allowed} differs:
   *     the update escaped its scope, and its result must not be published
   */
  public static WeightDiff between(
      MoeHeadWeights before, MoeHeadWeights after, Set<Integer> allowed) {
    if (!before.config().equals(after.config())) {
      throw new IllegalArgumentException("cannot compare heads of different shapes");
    }
    Map<String, MoeHeadWeights.Tensor> a = before.tensors();
    Map<String, MoeHeadWeights.Tensor> b = after.tensors();
    for (String name : SHARED_TENSORS) {
      if (differing(a.get(name).data(), b.get(name).data()) != 0) {
        throw new IllegalStateException(
            "the update changed the shared tensor " + name + ", which no expert update may touch");
      }
    }
    SortedMap<Integer, Long> changed = new TreeMap<>();
    long total = 0;
    for (int e = 0; e < before.config().experts(); e++) {
      long n = 0;
      Map<String, MoeHeadWeights.Tensor> te = before.expertTensors(e);
      Map<String, MoeHeadWeights.Tensor> tf = after.expertTensors(e);
      for (String name : te.keySet()) {
        n += differing(te.get(name).data(), tf.get(name).data());
      }
      if (n > 0) {
        if (!allowed.contains(e)) {
          throw new IllegalStateException(
              "the update changed expert " + e + ", which was not chosen (" + n + " parameters)");
        }
        changed.put(e, n);
        total += n;
      }
    }
    return new WeightDiff(total, changed);
  }

  /** Whether every tensor of {@code expert} is bit-identical in both weight sets. */
  public static boolean identical(MoeHeadWeights before, MoeHeadWeights after, int expert) {
    Map<String, MoeHeadWeights.Tensor> te = before.expertTensors(expert);
    Map<String, MoeHeadWeights.Tensor> tf = after.expertTensors(expert);
    return te.keySet().stream()
        .allMatch(name -> Arrays.equals(bits(te.get(name).data()), bits(tf.get(name).data())));
  }

  private static long differing(float[] x, float[] y) {
    long n = 0;
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        n++;
      }
    }
    return n;
  }

  private static int[] bits(float[] x) {
    int[] b = new int[x.length];
    for (int i = 0; i < x.length; i++) {
      b[i] = Float.floatToRawIntBits(x[i]);
    }
    return b;
  }
}
