package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The second fit of {@link SharedRowStage}'s shared rows, which leans away from the labels a row
 * collides with: a row fitted on scarce feedback against the replay answers a few replayed
 * documents of other labels with its label (it <em>claims</em> them); fitting it again from the
 * serving weights with those documents weighed {@link #WEIGHT} times more moves its direction away
 * from theirs, where the stage's bias back-off can only lower it everywhere. Deterministic;
 * stateless.
 */
final class ClaimedReplay {
  /**
   * How much more a claimed replayed sample weighs in the second fit (chosen among 4, 8 and 16 on
   * the shift runs, docs/FEEDBACK-LOOP.md section 9).
   */
  static final float WEIGHT = 8f;

  private ClaimedReplay() {}

  /**
   * The replayed samples of other labels that {@code fitted} answers with {@code label}.
   *
   * @param samples feedback first, then the replayed samples
   * @param feedback how many of {@code samples}, first, are feedback
   * @return a mask over {@code samples}, or {@code null} when the row claims none
   */
  static boolean[] claimed(
      MoeHeadWeights fitted, int label, List<LabeledEmbedding> samples, int feedback) {
    MoeHeadReference head = new MoeHeadReference(fitted);
    boolean[] claimed = new boolean[samples.size()];
    boolean any = false;
    for (int i = feedback; i < samples.size(); i++) {
      LabeledEmbedding s = samples.get(i);
      if (s.label() != label && LabelEvidence.argmax(head.logits(s.embedding())) == label) {
        claimed[i] = true;
        any = true;
      }
    }
    return any ? claimed : null;
  }

  /**
   * The loss weights of a shared-row fit: each of the first {@code feedback} samples {@code
   * feedbackWeight}, every replayed one 1, and {@link #WEIGHT} for those {@code claimed} marks.
   *
   * @param claimed a mask from {@link #claimed}, or {@code null} for the first fit
   */
  static float[] weights(int samples, int feedback, float feedbackWeight, boolean[] claimed) {
    float[] weights = new float[samples];
    Arrays.fill(weights, 0, feedback, feedbackWeight);
    Arrays.fill(weights, feedback, samples, 1f);
    if (claimed != null) {
      for (int i = feedback; i < samples; i++) {
        if (claimed[i]) {
          weights[i] = WEIGHT;
        }
      }
    }
    return weights;
  }

  /** How the note names a candidate of the second fit ({@code 0.07, claimed replay x8}). */
  static String named(boolean leaning) {
    return leaning ? String.format(Locale.ROOT, ", claimed replay x%.0f", WEIGHT) : "";
  }
}
