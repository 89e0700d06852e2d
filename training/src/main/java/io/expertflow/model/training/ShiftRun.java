package io.expertflow.model.training;

import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.moe.TrainingResult;
import io.expertflow.operators.update.ShiftScenario;
import java.util.List;
import java.util.Set;

/**
 * The offline weekly update of a freshly trained shift model: the traffic pool arrives with
 * feedback carrying the true labels, the update runs as the updater service would run it, and the
 * evaluation pool and the guard set measure it. Before that it checks that nothing of the held-out
 * labels leaked into the replay reservoir or the guard set, which would let the update (or its
 * judge) see the new label through the back door. Stateless.
 */
final class ShiftRun {
  /** Model name used for the candidate's version id; the id is reported, never served. */
  static final String MODEL_NAME = "expertflow-shift";

  /** Version the simulated responses name. */
  static final String SERVING_VERSION = "1";

  private ShiftRun() {}

  /**
   * Runs the update.
   *
   * @param heldOut label indices of the held-out labels
   * @param documentLabels the names of the documents' label indices: the head's labels, then the
   *     held-out ones, which the head lacks until the update adds them
   * @param traffic document embeddings of the traffic pool, with their true labels
   * @param trafficEvidence the served TF-IDF model's evidence for each, as a worker's responses
   *     carry it into feedback; empty when the bundle serves the head alone
   * @param evaluation document embeddings of the evaluation pool, with their true labels
   * @throws IllegalStateException if the reservoir or the guard set holds a held-out label
   */
  static ShiftScenario.Outcome run(
      TrainingConfig config,
      TrainingResult trained,
      GuardSet guard,
      Set<Integer> heldOut,
      List<String> documentLabels,
      List<LabeledEmbedding> traffic,
      List<double[]> trafficEvidence,
      List<LabeledEmbedding> evaluation) {
    checkNoLeak(trained.reservoir(), guard, heldOut);
    if (traffic.isEmpty() || evaluation.isEmpty()) {
      throw new IllegalArgumentException(
          "the held-out labels have "
              + traffic.size()
              + " traffic and "
              + evaluation.size()
              + " evaluation documents; both pools need documents, so hold out a label with"
              + " at least 2 documents");
    }
    return new ShiftScenario(config.shiftSelection(), config.shiftUpdate())
        .update(
            MODEL_NAME,
            SERVING_VERSION,
            trained.weights(),
            trained.reservoir(),
            guard,
            traffic,
            trafficEvidence,
            evaluation,
            documentLabels);
  }

  static void checkNoLeak(ReplayReservoir reservoir, GuardSet guard, Set<Integer> heldOut) {
    for (int e = 0; e < reservoir.experts(); e++) {
      for (LabeledEmbedding s : reservoir.samples(e)) {
        if (heldOut.contains(s.label())) {
          throw new IllegalStateException(
              "the replay reservoir of expert "
                  + e
                  + " holds a sample of held-out label "
                  + reservoir.labels().get(s.label())
                  + "; held-out documents must never reach training");
        }
      }
    }
    for (LabeledEmbedding s : guard.samples()) {
      if (heldOut.contains(s.label())) {
        throw new IllegalStateException(
            "the guard set holds a sample of held-out label " + guard.labels().get(s.label()));
      }
    }
  }
}
