package io.expertflow.operators.update;

import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.operators.moe.SharedLabelRow;
import java.util.List;
import java.util.Locale;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The bias back-off of {@link SharedRowStage}'s fitted rows: a new label's shared row claims a few
 * documents of other labels, and lowering its bias in the experts gives them back until the guard
 * set is within its bound. Two ways, uniform ({@link BiasSearch}) and targeted; stateless.
 */
final class RowBackoff {
  private RowBackoff() {}

  /**
   * A fitted candidate after its bias back-off, and how its rows' biases were lowered, in words.
   */
  record Backoff(MoeHeadWeights weights, Evaluation evaluation, String how) {}

  /**
   * Brings the guard set back within its bound by lowering the labels' biases, two ways, and keeps
   * the one with the better held-out accuracy (the targeted one on a tie); if neither passes, the
   * uniform one as far as it went.
   *
   * <ul>
   *   <li>Uniform: the smallest lowering of the biases in every expert ({@link BiasSearch}) that
   *       keeps the guard set within its bound, searched while the held-out feedback still gains.
   *   <li>Targeted ({@link #targeted}): quarter-logit steps only in the experts that route a guard
   *       document the labels took from its right answer. The labels keep their reach through the
   *       other experts, whose documents the guard set gives no reason to hand back.
   * </ul>
   *
   * Lowers {@code fitted}'s biases in place, each probe set from the fitted values (no drift, no
   * copy of the head), and leaves them as the kept back-off set them.
   */
  static Backoff backOff(
      MoeHeadWeights fitted,
      SortedSet<Integer> labels,
      Evaluation before,
      double maxGuardDrop,
      GuardSet guard, // null: the uniform back-off alone
      Function<MoeHeadWeights, Evaluation> evaluate) {
    double floor = before.guardAccuracy() - maxGuardDrop - 1e-9;
    List<SharedLabelRow> rows = labels.stream().map(l -> new SharedLabelRow(fitted, l)).toList();
    List<float[]> fittedBiases = rows.stream().map(SharedLabelRow::biases).toList();
    java.util.Map<Double, Evaluation> tried = new java.util.HashMap<>();
    Function<Double, Evaluation> at =
        logits ->
            tried.computeIfAbsent(
                logits,
                l -> {
                  lower(rows, fittedBiases, l);
                  return evaluate.apply(fitted);
                });
    BiasSearch.Found found =
        BiasSearch.smallest(
            logits -> at.apply(logits).guardAccuracy() >= floor,
            logits -> at.apply(logits).holdoutAccuracy() > before.holdoutAccuracy());
    Evaluation uniform = at.apply(found.offset());
    Targeted targeted =
        guard == null ? null : targeted(fitted, labels, rows, fittedBiases, floor, guard, evaluate);
    Evaluation t = targeted == null ? null : targeted.evaluation();
    if (t != null
        && t.guardAccuracy() >= floor
        && t.holdoutAccuracy() >= uniform.holdoutAccuracy()) {
      return new Backoff(
          fitted,
          t,
          targeted.experts() == 0
              ? ""
              : String.format(
                  Locale.ROOT,
                  " (bias lowered in %d experts, by up to %.2f)",
                  targeted.experts(),
                  targeted.most()));
    }
    lower(rows, fittedBiases, found.offset());
    return new Backoff(
        fitted,
        uniform,
        found.offset() == 0 ? "" : String.format(Locale.ROOT, " (bias -%.3f)", found.offset()));
  }

  /** The targeted back-off's outcome: its evaluation, how many experts it lowered, the most. */
  private record Targeted(Evaluation evaluation, int experts, double most) {}

  /** Quarter-logit steps of the targeted back-off, at most this many rounds. */
  static final int TARGETED_ROUNDS = 80;

  /**
   * From the fitted biases: while the guard set is below {@code floor}, finds the guard documents
   * answered with one of {@code labels} that the other labels would answer right, and lowers the
   * labels' bias by a quarter logit in every expert that routes one of them. Stops when the guard
   * set passes, when no such document is left (the loss is not the labels'), or after {@link
   * #TARGETED_ROUNDS} rounds. Leaves {@code fitted} as it ends.
   */
  private static Targeted targeted(
      MoeHeadWeights fitted,
      SortedSet<Integer> labels,
      List<SharedLabelRow> rows,
      List<float[]> fittedBiases,
      double floor,
      GuardSet guard,
      Function<MoeHeadWeights, Evaluation> evaluate) {
    List<float[]> biases = fittedBiases.stream().map(float[]::clone).toList();
    double[] lowered = new double[fitted.config().experts()];
    for (int r = 0; r < rows.size(); r++) {
      rows.get(r).setBiases(biases.get(r));
    }
    // one pass over the guard set a round gives both its accuracy and the documents the labels
    // took; the held-out feedback is judged once, at the end
    Claims claims = claims(fitted, labels, guard);
    for (int round = 0;
        round < TARGETED_ROUNDS && claims.accuracy() < floor && !claims.experts().isEmpty();
        round++) {
      for (int r = 0; r < rows.size(); r++) {
        for (int x : claims.experts()) {
          biases.get(r)[x] -= 0.25f;
        }
        rows.get(r).setBiases(biases.get(r));
      }
      claims.experts().forEach(x -> lowered[x] += 0.25);
      claims = claims(fitted, labels, guard);
    }
    Evaluation e = evaluate.apply(fitted);
    int count = 0;
    double most = 0;
    for (double l : lowered) {
      count += l > 0 ? 1 : 0;
      most = Math.max(most, l);
    }
    return new Targeted(e, count, most);
  }

  /**
   * The guard set's served accuracy under {@code weights}, and the experts that route a guard
   * document answered with one of the labels which, without them, would be answered right.
   */
  private record Claims(double accuracy, SortedSet<Integer> experts) {}

  /** {@link Claims} of {@code labels} under {@code weights}, in one pass over the guard set. */
  private static Claims claims(MoeHeadWeights weights, SortedSet<Integer> labels, GuardSet guard) {
    MoeHeadReference head = new MoeHeadReference(weights);
    SortedSet<Integer> experts = new TreeSet<>();
    int right = 0;
    for (int i = 0; i < guard.samples().size(); i++) {
      LabeledEmbedding d = guard.samples().get(i);
      MoeOutput o = head.forward(d.embedding());
      double[] scores = guard.scores(i, o.probabilities());
      int answer = LabelEvidence.argmax(scores);
      // as GuardSet.accuracy counts it: the head alone where the set has no evidence
      right += (guard.hasEvidence() ? answer : o.argmax()) == d.label() ? 1 : 0;
      if (!labels.contains(answer)) {
        continue;
      }
      for (int l : labels) {
        scores[l] = Double.NEGATIVE_INFINITY;
      }
      if (LabelEvidence.argmax(scores) == d.label()) {
        for (int x : o.experts()) {
          experts.add(x);
        }
      }
    }
    double accuracy = guard.samples().isEmpty() ? 0 : (double) right / guard.samples().size();
    return new Claims(accuracy, experts);
  }

  /** Sets each row's biases to its fitted ones lowered by {@code logits}. */
  private static void lower(List<SharedLabelRow> rows, List<float[]> fittedBiases, double logits) {
    for (int i = 0; i < rows.size(); i++) {
      float[] b = fittedBiases.get(i).clone();
      for (int e = 0; e < b.length; e++) {
        b[e] += (float) -logits;
      }
      rows.get(i).setBiases(b);
    }
  }
}
