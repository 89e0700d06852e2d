package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabelEvidence;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeTrainingConfig;
import io.expertflow.operators.update.BiasSearch;
import io.expertflow.operators.update.ShiftFigures;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reference a weekly update is judged against: a whole head trained from scratch, with the same
 * settings and seed, on the training samples plus the week's feedback documents (the traffic pool
 * with its true labels), and measured as the update is, on the evaluation pool and the guard set.
 * The update's gain on the new label is then a share of the retrain's. Stateless.
 *
 * <p>The update may cost the guard set at most {@code maxGuardDrop}; the retrain is under no such
 * bound, and part of its gain can be answers taken from the other labels. So it is also measured
 * held to the update's bound ({@link #holdToGuard}): its held-out labels' logits lowered in
 * quarter-logit steps, the last one halved four times, as the update lowers a new row's bias, until
 * its guard accuracy is within {@code maxGuardDrop} of its own without those labels.
 */
final class RetrainReference {
  private RetrainReference() {}

  static TrainingReport.Retrain run(
      TrainingConfig config,
      MoeHeadConfig head,
      List<LabeledEmbedding> train,
      List<LabeledEmbedding> trainDocuments,
      List<LabeledEmbedding> validation,
      LabeledSamples samples,
      Map<Split, List<LabeledDocument>> split,
      GuardSet guard,
      Set<Integer> heldOut,
      ShiftFigures update,
      ServedPool pool,
      ServedPool others) {
    // the feedback documents as training sees its own: with their chunks if it trains on chunks
    List<LabeledEmbedding> traffic =
        config.trainOnChunks()
            ? samples.documentsAndChunks(split.get(Split.SHIFT_TRAFFIC))
            : samples.documents(split.get(Split.SHIFT_TRAFFIC));
    List<LabeledEmbedding> evaluation = samples.documents(split.get(Split.SHIFT_EVALUATION));
    MoeTrainingConfig training = config.training();
    List<LabeledEmbedding> withFeedback = new ArrayList<>(train);
    withFeedback.addAll(traffic);
    // balanced over the documents it will serve, as training balances the head it is compared with
    List<LabeledEmbedding> routing = new ArrayList<>(trainDocuments);
    routing.addAll(samples.documents(split.get(Split.SHIFT_TRAFFIC)));
    MoeHeadReference retrained =
        new MoeHeadReference(
            new MoeHeadTrainer(training)
                .train(head, withFeedback, routing, validation, e -> {})
                .weights());
    Answers onGuard = Answers.of(retrained, guard);
    Answers onEvaluation = Answers.of(retrained, evaluation);
    double newLabel = onEvaluation.accuracy(heldOut, 0);
    double guardAccuracy = onGuard.accuracy(heldOut, 0);
    double updateGain = update.newLabelAfter() - update.newLabelBefore();
    TrainingReport.GuardHeld held =
        holdToGuard(onGuard, onEvaluation, heldOut, config.shiftUpdate().maxGuardDrop());
    return new TrainingReport.Retrain(
        newLabel,
        guardAccuracy,
        share(updateGain, newLabel - update.newLabelBefore()),
        held.withShare(share(updateGain, held.newLabelAccuracy() - update.newLabelBefore())),
        pool == null
            ? null
            : new TrainingReport.Served(
                pool.before(),
                pool.after(),
                Answers.of(retrained, pool.documents()).accuracy(heldOut, 0)),
        new TrainingReport.OtherLabels(
            others.documents().samples().size(),
            others.before(),
            others.after(),
            Answers.of(retrained, others.documents()).accuracy(heldOut, 0)));
  }

  /**
   * Documents the update and the retrain are both judged on as served (the evaluation pool, or the
   * other labels' validation documents), and the update's figures on them.
   *
   * @param documents labelled samples over every label, with each one's TF-IDF evidence where the
   *     bundle serves a TF-IDF model
   * @param before the served model's accuracy on it
   * @param after the update's candidate's
   */
  record ServedPool(GuardSet documents, double before, double after) {
    /**
     * The pool and the figures of the serving head and the update's candidate on it; null if none.
     */
    static ServedPool of(GuardSet documents, MoeHeadWeights serving, MoeHeadWeights candidate) {
      return documents == null
          ? null
          : new ServedPool(documents, documents.accuracy(serving), documents.accuracy(candidate));
    }
  }

  /**
   * The retrain held to the update's guard bound: the smallest offset ({@link BiasSearch}, at most
   * {@link BiasSearch#MAX_STEPS} steps, else the labels never answered) by which lowering the
   * held-out labels' logits brings the guard accuracy within {@code maxGuardDrop} of what it is
   * without those labels, and the new label's accuracy on the evaluation pool at that offset.
   */
  static TrainingReport.GuardHeld holdToGuard(
      Answers onGuard, Answers onEvaluation, Set<Integer> heldOut, double maxGuardDrop) {
    double without = onGuard.accuracy(heldOut, Double.POSITIVE_INFINITY);
    double floor = without - maxGuardDrop - 1e-9;
    // as the update lowers a new row's bias: the smallest offset that passes gives back least
    BiasSearch.Found found =
        BiasSearch.smallest(offset -> onGuard.accuracy(heldOut, offset) >= floor, offset -> true);
    double offset = found.passed() ? found.offset() : Double.POSITIVE_INFINITY;
    return new TrainingReport.GuardHeld(
        offset,
        onEvaluation.accuracy(heldOut, offset),
        onGuard.accuracy(heldOut, offset),
        without,
        Double.NaN);
  }

  private static double share(double updateGain, double referenceGain) {
    return referenceGain > 0 ? updateGain / referenceGain : Double.NaN;
  }

  /**
   * A head's probabilities for labelled samples, read once and answered at any offset; with the
   * evidence a guard set carries beside the head (its TF-IDF model's), answered as workers answer.
   *
   * @param evidence per sample, the evidence beside the head ({@link GuardSet#evidence}); empty for
   *     the head alone
   */
  record Answers(List<float[]> probabilities, int[] labels, List<double[]> evidence) {
    Answers(List<float[]> probabilities, int[] labels) {
      this(probabilities, labels, List.of());
    }

    static Answers of(MoeHeadReference head, List<LabeledEmbedding> samples) {
      List<float[]> probabilities = new ArrayList<>(samples.size());
      int[] labels = new int[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        probabilities.add(head.forward(samples.get(i).embedding()).probabilities());
        labels[i] = samples.get(i).label();
      }
      return new Answers(probabilities, labels);
    }

    /** The guard set's samples, with its evidence where it has some. */
    static Answers of(MoeHeadReference head, GuardSet guard) {
      Answers a = of(head, guard.samples());
      return new Answers(a.probabilities(), a.labels(), guard.evidence());
    }

    /**
     * Accuracy when the labels in {@code lowered} have their logits lowered by {@code offset}
     * (infinity: never answered); NaN without samples.
     */
    double accuracy(Set<Integer> lowered, double offset) {
      if (labels.length == 0) {
        return Double.NaN;
      }
      int right = 0;
      for (int i = 0; i < labels.length; i++) {
        // as served: the head's log-probabilities, with the guard's evidence where it has some
        double[] scores =
            LabelEvidence.scores(
                probabilities.get(i), evidence.isEmpty() ? new double[0] : evidence.get(i));
        for (int j : lowered) {
          scores[j] -= offset;
        }
        int best = LabelEvidence.argmax(scores);
        if (best == labels[i]) {
          right++;
        }
      }
      return (double) right / labels.length;
    }
  }
}
