package io.expertflow.operators.update;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadTrainer;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.privacy.PrivacySpend;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Fine-tunes the experts an {@link ExpertUpdatePlan} chose, and only the parameters its scope
 * allows, on the window's feedback plus the experts' replayed training samples; then judges the
 * candidate on held-out feedback and the guard set. Replay is what keeps the chosen experts from
 * answering the new label for everything they route; the guard set is what keeps a bad update out.
 *
 * <p>With {@link DpConfig#enabled()} every step that reads feedback is a DP-SGD step ({@link
 * PrivateTraining}): each feedback user's gradient clipped, Gaussian noise added, users drawn at
 * random; the result carries what the update spent ({@link UpdateResult#privacy()}), users over
 * their budget are left out, and an update over the budget by itself is refused. The guard decides
 * as without DP.
 *
 * <p>The candidate may be published only if held-out accuracy rises by more than {@link
 * UpdateConfig#minHoldoutGain()} and guard accuracy falls by at most {@link
 * UpdateConfig#maxGuardDrop()}. Every expert that was not chosen is bit-identical in the candidate
 * (checked, not assumed). Deterministic: the same inputs give the same candidate and version id (a
 * private update draws its noise from {@link java.security.SecureRandom} unless {@link
 * DpConfig#noiseSeed()} is set, so only its version id repeats).
 *
 * <p>Instances are immutable; {@link #update} runs on the calling thread and may be called from
 * several threads on different inputs.
 */
public final class ExpertUpdater {
  private final UpdateConfig config;

  public ExpertUpdater(UpdateConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  public UpdateConfig config() {
    return config;
  }

  /** Runs the update; never mutates the inputs. */
  public UpdateResult update(UpdateInputs in) {
    MoeHeadConfig head = in.serving().config();
    ExpertUpdatePlan plan = in.plan();
    Set<Integer> chosen = new TreeSet<>(plan.chosenExperts());
    FeedbackSplit split = FeedbackSplit.of(in.feedback(), config.holdoutShare());
    GuardSet holdout = asServed(split.holdout(), head);
    List<LabeledEmbedding> replay = replay(in.replay(), chosen);
    String versionId =
        VersionIds.derive(
            in.modelName(),
            in.parentVersion(),
            plan.windowStart(),
            VersionIds.contentHash(in, plan, config));
    Evaluation before = evaluate(in.serving(), holdout, in.guard(), replay);
    // the stages compare their candidates on the held-out feedback and the guard set alone; the
    // replayed samples are scored for the figures a version records, before and after
    Function<MoeHeadWeights, Evaluation> judge =
        w -> new Evaluation(holdout.accuracy(w), in.guard().accuracy(w), Double.NaN);
    MoeHeadWeights candidate = in.serving().copy();

    String refusal = null;
    if (chosen.isEmpty() && !config.sharedRows()) {
      refusal = "no expert qualified for an update: " + summary(plan);
    } else if (split.train().isEmpty()) {
      refusal = "no feedback left to train on after holding out " + split.holdout().size();
    } else if (holdout.samples().isEmpty()) {
      refusal = "no held-out feedback to judge the update on (" + split.train().size() + " in all)";
    }
    List<FeedbackSample> train = split.train();
    PrivateFeedback.Selection privately = null;
    PrivateTraining dp = null;
    if (refusal == null && config.dp().enabled()) {
      privately = selectPrivately(in, train, plan, chosen.isEmpty() ? -1 : replay.size());
      if (privately.refusal() != null) {
        refusal = privately.refusal();
      } else if (privately.train().isEmpty()) {
        refusal = "no feedback left to train on: " + privately.note();
      } else {
        train = privately.train();
        dp = new PrivateTraining(config);
      }
    }
    SharedRowStage.Outcome shared = null;
    if (refusal == null && config.sharedRows()) {
      DpSgd sharedDp = dp == null ? null : dp.sharedRows();
      shared =
          SharedRowStage.run(
              in.serving(),
              in.feedback(),
              train,
              replay(in.replay(), allExperts(head)),
              before,
              plan.parameterBudget() - plan.plannedParameters(),
              config.maxGuardDrop(),
              in.guard(),
              config.targetedBackoff(),
              judge,
              holdout::meanLogProbability,
              sharedDp,
              dp == null ? List.of() : privately.users());
      if (dp != null) {
        dp.spent(sharedDp, shared.privateSteps());
      }
      if (shared.applied()) {
        candidate = shared.weights().copy();
      } else if (chosen.isEmpty()) {
        // a shared row needs no expert to qualify; without one there is nothing to update
        refusal = "no expert qualified for an update: " + summary(plan) + "; " + shared.note();
        shared = null;
      }
    }
    // what the per-expert stage starts from, and what guard pruning reverts an expert to
    MoeHeadWeights base = candidate.copy();
    if (refusal == null && !chosen.isEmpty()) {
      ExpertStage.train(
          config, candidate, plan, train, replay, anchors(in.replay(), head), dp, privately);
    }
    PrivacySpend privacy = dp == null ? null : dp.spend(privately.userHashes(), in.privacy());
    List<Integer> pruned =
        refusal == null
            ? GuardPruning.prune(
                base, candidate, chosen, before.guardAccuracy() - config.maxGuardDrop(), judge)
            : List.of();
    WeightDiff diff =
        WeightDiff.between(
            in.serving(),
            candidate,
            (shared != null && shared.applied()) || !in.addedLabels().isEmpty()
                ? allExperts(head)
                : chosen);
    Evaluation after = refusal == null ? evaluate(candidate, holdout, in.guard(), replay) : before;
    String reason =
        refusal != null
            ? "rejected: " + refusal
            : verdict(before, after, diff, head, holdout.hasEvidence());
    if (!pruned.isEmpty()) {
      reason += "; experts " + pruned + " reverted: their change cost the guard set";
    }
    if (shared != null) {
      reason += "; " + shared.note();
    }
    if (privacy != null) {
      reason += "; private: " + privacy + ", " + privately.note();
    }
    if (!in.addedLabels().isEmpty()) {
      reason +=
          reason.startsWith("published")
              ? "; adds " + in.addedLabels() + " to the label set (learned from corrections)"
              : "; " + in.addedLabels() + " not added to the label set";
    }
    return new UpdateResult(
        versionId,
        in.parentVersion(),
        refusal == null && reason.startsWith("published"),
        reason,
        candidate,
        diff,
        head.expertParameters(),
        before,
        after,
        refusal == null ? train.size() : 0,
        refusal == null ? replay.size() : 0,
        holdout.samples().size(),
        plan,
        in.addedLabels(),
        privacy);
  }

  /**
   * The feedback users a private update may spend on, each within their budget and the update as a
   * whole within the update's ({@link PrivateFeedback#select}).
   *
   * @param replayUnits replayed samples the per-expert stage will step on; -1 when no expert was
   *     chosen, so that stage will not run
   */
  private PrivateFeedback.Selection selectPrivately(
      UpdateInputs in, List<FeedbackSample> train, ExpertUpdatePlan plan, int replayUnits) {
    long sharedSteps = plannedSharedSteps(in, train, plan);
    return PrivateFeedback.select(
        train,
        config.dp(),
        in.privacy(),
        users -> PrivateTraining.planned(config, sharedSteps, users, replayUnits));
  }

  /**
   * The most noisy steps the shared-row stage can take on this window: every candidate of every
   * label that may get a row, none if the rows would not fit the budget (the stage then skips).
   */
  private long plannedSharedSteps(
      UpdateInputs in, List<FeedbackSample> train, ExpertUpdatePlan plan) {
    if (!config.sharedRows()) {
      return 0;
    }
    MoeHeadConfig head = in.serving().config();
    java.util.Map<Integer, Integer> counts = new TreeMap<>();
    in.feedback().forEach(s -> counts.merge(s.label(), 1, Integer::sum));
    long labels =
        train.stream()
            .map(FeedbackSample::label)
            .distinct()
            .filter(l -> counts.get(l) >= SharedRowStage.MIN_LABEL_FEEDBACK)
            .count();
    long cost = labels * head.experts() * (head.expertHidden() + 1);
    if (cost > plan.parameterBudget() - plan.plannedParameters()) {
      return 0;
    }
    return labels * SharedRowStage.SHARES.size() * SharedRowStage.STEPS;
  }

  private String verdict(
      Evaluation before, Evaluation after, WeightDiff diff, MoeHeadConfig h, boolean served) {
    double gain = after.holdoutAccuracy() - before.holdoutAccuracy();
    double drop = before.guardAccuracy() - after.guardAccuracy();
    String figures =
        String.format(
            Locale.ROOT,
            "held-out accuracy%s %.3f -> %.3f (%+.1f points), guard accuracy %.3f -> %.3f (%+.1f"
                + " points, at most -%.1f allowed); %d parameters changed (%.3f %% of %d) in"
                + " %s",
            served ? " as served" : "",
            before.holdoutAccuracy(),
            after.holdoutAccuracy(),
            gain * 100,
            before.guardAccuracy(),
            after.guardAccuracy(),
            -drop * 100,
            config.maxGuardDrop() * 100,
            diff.parametersChanged(),
            100.0 * diff.parametersChanged() / h.expertParameters(),
            h.expertParameters(),
            diff.changedExperts().size() > 16
                ? diff.changedExperts().size() + " experts"
                : "experts " + diff.changedExperts());
    if (!(gain > config.minHoldoutGain())) {
      return "rejected: held-out accuracy did not improve enough; " + figures;
    }
    // a tolerance of one guard sample's rounding keeps exact-bound drops from failing on float
    // noise
    if (drop > config.maxGuardDrop() + 1e-9) {
      return "rejected: the guard set regressed; " + figures;
    }
    return "published: " + figures;
  }

  /** The update's scope as the parameters it may change: only the chosen experts', as scoped. */
  /**
   * Routing anchors: every expert's reservoir samples, each once (none when the routing term is off
   * or the scope keeps the gate rows).
   */
  private List<float[]> anchors(ReplayReservoir reservoir, MoeHeadConfig head) {
    if (config.routingWeight() == 0 || config.routingAnchorsPerStep() == 0) {
      return List.of();
    }
    return replay(reservoir, allExperts(head)).stream().map(LabeledEmbedding::embedding).toList();
  }

  private static Set<Integer> allExperts(MoeHeadConfig head) {
    Set<Integer> all = new TreeSet<>();
    for (int e = 0; e < head.experts(); e++) {
      all.add(e);
    }
    return all;
  }

  /** The chosen experts' reservoir samples, each once, experts in ascending order. */
  private static List<LabeledEmbedding> replay(ReplayReservoir reservoir, Set<Integer> chosen) {
    // by content, not identity: a reservoir read from its file holds one copy of a sample per
    // expert that routed it, the one built in memory shares it; both must give the same update
    Set<List<Object>> seen = new HashSet<>();
    List<LabeledEmbedding> out = new ArrayList<>();
    for (int e : chosen) {
      for (LabeledEmbedding s : reservoir.samples(e)) {
        if (seen.add(List.of(s.label(), ByteBuffer.wrap(bits(s.embedding()))))) {
          out.add(s);
        }
      }
    }
    return out;
  }

  private static byte[] bits(float[] x) {
    ByteBuffer b = ByteBuffer.allocate(x.length * Float.BYTES);
    for (float v : x) {
      b.putInt(Float.floatToRawIntBits(v));
    }
    return b.array();
  }

  private static Evaluation evaluate(
      MoeHeadWeights w, GuardSet holdout, GuardSet guard, List<LabeledEmbedding> replay) {
    return new Evaluation(
        holdout.accuracy(w), guard.accuracy(w), MoeHeadTrainer.accuracy(w, replay));
  }

  /**
   * The held-out feedback as it was answered: each sample with the TF-IDF evidence its response
   * carried (a sample without any is judged on the head alone), so the update is judged on what
   * workers serve, as the guard set judges it.
   */
  static GuardSet asServed(List<FeedbackSample> samples, MoeHeadConfig head) {
    List<LabeledEmbedding> labelled = samples.stream().map(FeedbackSample::toLabeled).toList();
    GuardSet set = new GuardSet(head.labels(), head.hidden(), labelled);
    if (samples.stream().allMatch(s -> s.evidence().length == 0)) {
      return set;
    }
    double[] none = new double[head.labelCount()];
    java.util.Arrays.fill(none, Double.NaN);
    return set.withEvidence(
        samples.stream().map(s -> s.evidence().length == 0 ? none : s.evidence()).toList());
  }

  private static String summary(ExpertUpdatePlan plan) {
    TreeMap<String, Integer> reasons = new TreeMap<>();
    for (ExpertUpdatePlan.Decision d : plan.decisions()) {
      String key =
          d.reason().contains(":") ? d.reason().substring(0, d.reason().indexOf(':')) : d.reason();
      reasons.merge(key, 1, Integer::sum);
    }
    return plan.decisions().size() + " experts with feedback, skipped as " + reasons;
  }
}
