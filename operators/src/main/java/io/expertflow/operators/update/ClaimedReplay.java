package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.SharedLabelRow;
import java.util.List;
import java.util.Locale;

/**
 * The shared-row fit of {@link SharedRowStage} that leans away from the labels a row collides with:
 * a row fitted on scarce feedback against the replay answers a few replayed documents of other
 * labels with its label (it <em>claims</em> them); fitting it again with those documents weighed
 * more moves its direction away from theirs, where the stage's bias back-off can only lower it
 * everywhere. Deterministic; stateless.
 */
final class ClaimedReplay {
  /**
   * Loss weights of the replayed documents of other labels that a row claims (answers with its
   * label once fitted), tried in this order: 1 fits the row once; above 1 fits it again from where
   * it began with those documents weighed that much more, so that the row leans away from the
   * labels it collides with rather than only being lowered by the back-off. Every share is tried
   * with each.
   */
  static final List<Float> WEIGHTS = List.of(1f, 8f);

  /**
   * Fits {@code label}'s row into {@code trial}; with {@code claimedWeight} above 1, fits it again
   * from where it began, the replayed samples of other labels that the first fit answers with
   * {@code label} weighed {@code claimedWeight} times more (their weights in {@code weights} are
   * changed).
   *
   * @param feedback how many of {@code samples}, first, are feedback (the rest are replayed)
   * @return the weights with the row fitted: {@code trial} itself when fitted once ({@code
   *     claimedWeight} 1, or the first fit claimed no replayed sample), else a copy fitted again
   */
  static MoeHeadWeights fitted(
      MoeHeadWeights trial,
      int label,
      List<LabeledEmbedding> samples,
      float[] weights,
      int feedback,
      float claimedWeight) {
    MoeHeadWeights start = claimedWeight == 1f ? null : trial.copy();
    fit(trial, label, samples, weights);
    if (start == null) {
      return trial;
    }
    MoeHeadReference once = new MoeHeadReference(trial);
    boolean claimed = false;
    for (int i = feedback; i < samples.size(); i++) {
      LabeledEmbedding s = samples.get(i);
      if (s.label() != label && LabelEvidence.argmax(once.logits(s.embedding())) == label) {
        weights[i] *= claimedWeight;
        claimed = true;
      }
    }
    if (!claimed) {
      return trial;
    }
    fit(start, label, samples, weights);
    return start;
  }

  /** The stage's full-batch fit of the label's row into {@code into}. */
  private static void fit(
      MoeHeadWeights into, int label, List<LabeledEmbedding> samples, float[] weights) {
    new SharedLabelRow(into, label)
        .fit(
            samples,
            weights,
            SharedRowStage.STEPS,
            SharedRowStage.LEARNING_RATE,
            SharedRowStage.L2);
  }

  /** How a candidate weighed the replayed samples its row claims, for the note. */
  static String named(float claimedWeight) {
    return claimedWeight == 1f
        ? ""
        : String.format(Locale.ROOT, ", claimed replay x%.0f", claimedWeight);
  }
}
