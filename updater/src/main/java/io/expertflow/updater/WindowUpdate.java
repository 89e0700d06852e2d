package io.expertflow.updater;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.update.ExpertSelectionPolicy;
import io.expertflow.operators.update.ExpertUpdatePlan;
import io.expertflow.operators.update.ExpertUpdater;
import io.expertflow.operators.update.FeedbackSamples;
import io.expertflow.operators.update.LabelGrowth;
import io.expertflow.operators.update.UpdateInputs;
import io.expertflow.operators.update.UpdateResult;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.PrivacyRecords;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one closed window teaches the serving head, with no Kafka in sight: the labels its
 * corrections name and the head lacks are added (where enough documents name them), experts are
 * chosen by this bundle's answers alone ({@link BundleLineage}), and {@link ExpertUpdater} fits
 * them from the window's feedback on embeddings of this bundle's encoder, beside the replay, judged
 * on the guard set. {@link UpdaterService} reads the topics, calls this and publishes the outcome.
 * Stateless; thread-safe where its inputs are not mutated.
 *
 * @param config the updater's settings (selection, update, the feedback a new label needs)
 * @param base the bundle the updates apply to
 * @param replay the bundle's replay reservoir
 * @param guard the bundle's guard set
 */
record WindowUpdate(UpdaterConfig config, BaseModel base, ReplayReservoir replay, GuardSet guard) {
  private static final Logger LOG = LoggerFactory.getLogger(WindowUpdate.class);

  WindowUpdate {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(base, "base");
    Objects.requireNonNull(replay, "replay");
    Objects.requireNonNull(guard, "guard");
  }

  /**
   * The update from {@code window}.
   *
   * @param served the head the serving version answers with; not mutated
   * @param parentVersion the serving version, the new version's parent
   * @param history every version record on {@code model-versions} (the lineage and the privacy each
   *     feedback user has spent so far)
   */
  Outcome from(
      WindowBuffer.ClosedWindow window,
      MoeHeadWeights served,
      String parentVersion,
      Collection<ModelVersion> history) {
    // feedback on answers another encoder embedded (a bundle served before this one) teaches
    // nothing here: its embeddings have the same size and another meaning
    List<AttributedFeedback> ofThisEncoder =
        window.feedback().stream()
            .filter(f -> FeedbackSamples.ofEncoder(f, base.encoderId()))
            .toList();
    // labels the corrections name and the model lacks are added first, then learned as any other
    LabelGrowth.Grown grown =
        LabelGrowth.prepare(
            served, ofThisEncoder, replay.allSamples(), config.newLabelMinFeedback());
    if (!grown.skipped().isEmpty()) {
      LOG.info(
          "window {}: corrections to labels the model lacks, too few to add them (documents, at"
              + " least {} needed): {}",
          window.start(),
          config.newLabelMinFeedback(),
          grown.skipped());
    }
    MoeHeadWeights serving = grown.weights();
    // experts are chosen by this bundle's answers: another training numbers its experts otherwise
    BundleLineage.Stats stats =
        BundleLineage.of(base.version(), base.sha256(), history).statsOf(window);
    ExpertUpdatePlan plan =
        new ExpertSelectionPolicy(config.selection()).plan(serving.config(), stats.stats());
    FeedbackSamples samples =
        FeedbackSamples.from(
            window.feedback(),
            serving.config().labels(),
            serving.config().hidden(),
            base.encoderId());
    UpdateResult result =
        new ExpertUpdater(config.update())
            .update(
                new UpdateInputs(
                    base.name(),
                    parentVersion,
                    serving,
                    plan,
                    samples.samples(),
                    replay,
                    guard,
                    grown.added(),
                    // each feedback user's privacy spent so far, from the version history
                    PrivacyRecords.ledger(history)));
    return new Outcome(result, samples, stats.otherBundles());
  }

  /**
   * One window's update.
   *
   * @param result the candidate version and its verdict
   * @param samples the feedback samples it learned from and the events it left out, by reason
   * @param otherBundles attributed records left out of choosing experts: they rated answers of
   *     another bundle
   */
  record Outcome(UpdateResult result, FeedbackSamples samples, int otherBundles) {}
}
