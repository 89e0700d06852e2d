package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Takes back the experts whose change costs the guard set. An update changes a few experts; when
 * the candidate's guard accuracy falls below the bound, one of them usually claims documents it
 * should not (its gate row or its new label's output pulls in guard documents). Greedily, one at a
 * time, the expert whose revert to the serving weights gives the best guard accuracy (then the best
 * held-out accuracy, then the lowest id) is reverted, until the guard is within the bound or no
 * changed expert is left. The reverted experts are bit-identical to the serving ones again; the
 * publish decision is then taken on what remains, as for any candidate.
 *
 * <p>Deterministic for the same inputs. Stateless; not thread-safe on the weights it is given.
 */
final class GuardPruning {
  private GuardPruning() {}

  /**
   * Reverts experts of {@code candidate} (in place) to {@code serving} until {@code evaluate} gives
   * a guard accuracy of at least {@code guardFloor}.
   *
   * @return the reverted experts, in the order they were reverted; empty if none had to be
   */
  static List<Integer> prune(
      MoeHeadWeights serving,
      MoeHeadWeights candidate,
      Set<Integer> chosen,
      double guardFloor,
      Function<MoeHeadWeights, Evaluation> evaluate) {
    List<Integer> reverted = new ArrayList<>();
    Set<Integer> changed = new TreeSet<>();
    for (int expert : chosen) {
      if (!WeightDiff.identical(serving, candidate, expert)) {
        changed.add(expert);
      }
    }
    // a tolerance of float noise, as the publish decision has
    while (!changed.isEmpty() && evaluate.apply(candidate).guardAccuracy() < guardFloor - 1e-9) {
      int best = -1;
      Evaluation bestEvaluation = null;
      for (int expert : changed) {
        MoeHeadWeights trial = candidate.copy();
        trial.setExpertTensors(expert, serving.expertTensors(expert));
        Evaluation e = evaluate.apply(trial);
        if (bestEvaluation == null || better(e, bestEvaluation)) {
          best = expert;
          bestEvaluation = e;
        }
      }
      candidate.setExpertTensors(best, serving.expertTensors(best));
      changed.remove(best);
      reverted.add(best);
    }
    return reverted;
  }

  private static boolean better(Evaluation a, Evaluation b) {
    if (a.guardAccuracy() != b.guardAccuracy()) {
      return a.guardAccuracy() > b.guardAccuracy();
    }
    return a.holdoutAccuracy() > b.holdoutAccuracy();
  }
}
