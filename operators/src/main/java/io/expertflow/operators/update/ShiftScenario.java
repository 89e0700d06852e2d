package io.expertflow.operators.update;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Before, update, after: a trained head meets documents of a label it was not trained on (or
 * trained on poorly); users correct the answers on one part of them for a week; the update learns
 * from that feedback; the other part measures how much it learned, and the guard set how much it
 * forgot. The same steps the services run on Kafka, in one call, so that demos, reports and tests
 * share them. Immutable; {@link #run} may be called from any thread.
 */
public final class ShiftScenario {
  /** Start of the simulated feedback window. */
  public static final Instant DEFAULT_WINDOW_START = Instant.parse("2024-06-03T00:00:00Z");

  /**
   * Id prefix of the feedback on the {@code i}-th feedback document: its id is this prefix plus
   * {@code i}. The update's held-out half is a function of the feedback ids ({@link
   * FeedbackSplit}), so a run on Kafka that names its feedback the same way holds out the same
   * documents as this scenario.
   */
  public static final String FEEDBACK_ID_PREFIX = "feedback-";

  private final SelectionConfig selection;
  private final UpdateConfig update;

  public ShiftScenario(SelectionConfig selection, UpdateConfig update) {
    this.selection = Objects.requireNonNull(selection, "selection");
    this.update = Objects.requireNonNull(update, "update");
  }

  /**
   * Runs the scenario.
   *
   * @param weights the trained head; not mutated
   * @param replay its replay reservoir
   * @param guard its guard set
   * @param feedbackDocuments shifted documents that users give feedback on
   * @param evaluationDocuments other shifted documents, never shown to the update
   */
  public ShiftFigures run(
      String modelName,
      String version,
      MoeHeadWeights weights,
      ReplayReservoir replay,
      GuardSet guard,
      List<LabeledEmbedding> feedbackDocuments,
      List<LabeledEmbedding> evaluationDocuments) {
    return run(
        modelName,
        version,
        weights,
        replay,
        guard,
        feedbackDocuments,
        evaluationDocuments,
        weights.config().labels());
  }

  /**
   * Runs the scenario on documents of a label the head may not have at all: {@code documentLabels}
   * names the documents' label indices (the head's labels first). The update adds the labels the
   * corrections name ({@link LabelGrowth}); before it, the head cannot answer them and scores 0 on
   * them.
   */
  public ShiftFigures run(
      String modelName,
      String version,
      MoeHeadWeights weights,
      ReplayReservoir replay,
      GuardSet guard,
      List<LabeledEmbedding> feedbackDocuments,
      List<LabeledEmbedding> evaluationDocuments,
      List<String> documentLabels) {
    return update(
            modelName,
            version,
            weights,
            replay,
            guard,
            feedbackDocuments,
            List.of(),
            evaluationDocuments,
            documentLabels)
        .figures();
  }

  /**
   * What the scenario measured, and the update's candidate head (published or not), for
   * measurements of its own (the document memory's evaluation fuses it with the memory).
   */
  public record Outcome(ShiftFigures figures, MoeHeadWeights candidate) {}

  /**
   * As {@link #run(String, String, MoeHeadWeights, ReplayReservoir, GuardSet, List, List, List)},
   * with the candidate, and the feedback documents answered as served: each with the evidence the
   * bundle's TF-IDF model gave it ({@link SimulatedFeedback#attributed(List, List, String,
   * Instant)}), so the update judges its held-out feedback as a worker's responses let it.
   *
   * @param feedbackEvidence one array per feedback document, or empty for the head alone
   */
  public Outcome update(
      String modelName,
      String version,
      MoeHeadWeights weights,
      ReplayReservoir replay,
      GuardSet guard,
      List<LabeledEmbedding> feedbackDocuments,
      List<double[]> feedbackEvidence,
      List<LabeledEmbedding> evaluationDocuments,
      List<String> documentLabels) {
    Instant start = DEFAULT_WINDOW_START;
    Instant end = start.plus(Duration.ofDays(7));
    List<AttributedFeedback> feedback =
        new SimulatedFeedback(weights, version, documentLabels)
            .attributed(feedbackDocuments, feedbackEvidence, FEEDBACK_ID_PREFIX, start);
    LabelGrowth.Grown grown =
        LabelGrowth.prepare(
            weights, feedback, replay.allSamples(), LabelGrowth.DEFAULT_MIN_DOCUMENTS);
    MoeHeadWeights from = grown.weights();
    ExpertUpdatePlan plan =
        new ExpertSelectionPolicy(selection)
            .plan(from.config(), SimulatedFeedback.stats(feedback, start, end));
    FeedbackSamples samples =
        FeedbackSamples.from(feedback, from.config().labels(), from.config().hidden());
    UpdateResult result =
        new ExpertUpdater(update)
            .update(
                new UpdateInputs(
                    modelName,
                    version,
                    from,
                    plan,
                    samples.samples(),
                    replay,
                    guard,
                    grown.added()));
    boolean identical = true;
    for (int e = 0; e < weights.config().experts(); e++) {
      if (!result.changedExperts().contains(e)) {
        identical &= WeightDiff.identical(from, result.weights(), e);
      }
    }
    ShiftFigures figures =
        new ShiftFigures(
            accuracy(weights, evaluationDocuments),
            accuracy(result.weights(), evaluationDocuments),
            result.before().guardAccuracy(),
            result.after().guardAccuracy(),
            result.diff().parametersChanged(),
            result.parametersTotal(),
            result.changedExperts(),
            identical,
            result.publish(),
            result.reason() + tooFew(grown),
            result.versionId(),
            result.privacy());
    return new Outcome(figures, result.weights());
  }

  private static String tooFew(LabelGrowth.Grown grown) {
    return grown.skipped().isEmpty()
        ? ""
        : "; corrections name labels the model lacks, by too few documents to add them ("
            + grown.skipped()
            + ", "
            + LabelGrowth.DEFAULT_MIN_DOCUMENTS
            + " needed)";
  }

  /** Accuracy on documents whose labels the head may lack: those it can never answer right. */
  static double accuracy(MoeHeadWeights w, List<LabeledEmbedding> documents) {
    int known = w.config().labelCount();
    List<LabeledEmbedding> answerable = new java.util.ArrayList<>();
    int unanswerable = 0;
    for (LabeledEmbedding d : documents) {
      if (d.label() < known) {
        answerable.add(d);
      } else {
        unanswerable++;
      }
    }
    if (answerable.isEmpty()) {
      return 0;
    }
    double right = MoeHeadTrainer.accuracy(w, answerable) * answerable.size();
    return right / (answerable.size() + unanswerable);
  }
}
