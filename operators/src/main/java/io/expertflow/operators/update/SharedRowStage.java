package io.expertflow.operators.update;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.SharedLabelRow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;

/**
 * The first stage of an update: each corrected label's output row learned as one change shared by
 * every expert ({@link SharedLabelRow}), so the label reaches every document whichever experts
 * route it, not only documents routed to the few experts that collected enough feedback.
 *
 * <p>The feedback is scarce against the replayed samples (20 documents against a few thousand), so
 * its weight decides between learning too little and claiming documents of other labels. The stage
 * fits one candidate per feedback share in {@link #SHARES} (the feedback's total loss weight as a
 * share of the replay's) and keeps the one with the best held-out feedback accuracy among those
 * that improve it and keep the guard set within its bound; if none does, nothing changes. Twenty
 * held-out documents tie often (one is 5 points), and a tie goes to the candidate that gives the
 * held-out documents' labels the higher mean log-probability as served, then to the smaller share.
 * Each share is tried twice ({@link ClaimedReplay}): fitted once, and fitted again from the serving
 * weights with the replayed documents of other labels that the first fit claimed weighed more, so
 * the row leans away from the labels it collides with instead of only having its bias lowered
 * afterwards. The note lists every candidate's figures with the guard documents its rows took as
 * fitted, by label, so a rejected label says which labels it collides with. Deterministic;
 * stateless. In a private update each fit is DP-SGD ({@link SharedLabelRow#fitPrivately}), and
 * every candidate's steps count against the users' privacy.
 */
final class SharedRowStage {
  /** Feedback shares tried, smallest first. */
  static final List<Double> SHARES = List.of(0.03, 0.05, 0.07, 0.1, 0.14);

  static final int STEPS = 300;
  static final double LEARNING_RATE = 0.05;
  static final double L2 = 1e-3;

  /**
   * Feedback documents a label needs in the window (training and held-out together) before its row
   * is learned: as many as an expert needs by the service's default ({@code
   * selection.min.feedback}), since a shared row changes what every document can be answered.
   */
  static final int MIN_LABEL_FEEDBACK = 10;

  private SharedRowStage() {}

  /**
   * What the stage did.
   *
   * @param weights the serving weights with the shared rows added, or {@code null} if nothing was
   *     kept
   * @param labels the labels whose rows changed (empty if none)
   * @param share the feedback share of the kept candidate (0 if none)
   * @param parameters scalars the stage may change ({@code labels × E × (M + 1)})
   * @param note what happened, in words
   * @param privateSteps noisy steps that read the feedback (0 without DP); spent whether or not a
   *     candidate was kept
   */
  record Outcome(
      MoeHeadWeights weights,
      List<String> labels,
      double share,
      long parameters,
      String note,
      long privateSteps) {
    boolean applied() {
      return weights != null;
    }
  }

  /**
   * Runs the stage.
   *
   * @param serving the served weights; never mutated
   * @param window the window's usable feedback, training and held-out parts together
   * @param train feedback to learn from
   * @param replay replayed training samples of every expert (the negatives)
   * @param before the serving weights' evaluation
   * @param budgetLeft parameters the update may still change
   * @param maxGuardDrop how far the guard accuracy may fall
   * @param guard the guard set {@code evaluate} judges on: the note names the documents of it that
   *     each candidate took before its back-off, and the targeted back-off works on it; null to
   *     name none and back off uniformly
   * @param targeted whether to try the targeted back-off beside the uniform one (needs {@code
   *     guard})
   * @param evaluate held-out feedback and guard evaluation of a candidate
   * @param holdoutLogLikelihood the held-out feedback's mean log-probability of its labels as
   *     served under a candidate, which breaks ties in held-out accuracy
   * @param dp DP-SGD of the fits, or {@code null} to fit without it
   * @param users with {@code dp}: indices into {@code train} of each feedback user's samples
   */
  static Outcome run(
      MoeHeadWeights serving,
      List<FeedbackSample> window,
      List<FeedbackSample> train,
      List<LabeledEmbedding> replay,
      Evaluation before,
      long budgetLeft,
      double maxGuardDrop,
      GuardSet guard,
      boolean targeted,
      Function<MoeHeadWeights, Evaluation> evaluate,
      ToDoubleFunction<MoeHeadWeights> holdoutLogLikelihood,
      DpSgd dp,
      List<int[]> users) {
    MoeHeadConfig head = serving.config();
    Map<Integer, Integer> counts = new TreeMap<>();
    window.forEach(s -> counts.merge(s.label(), 1, Integer::sum));
    SortedSet<Integer> labels = new TreeSet<>();
    train.forEach(
        s -> {
          if (counts.get(s.label()) >= MIN_LABEL_FEEDBACK) {
            labels.add(s.label());
          }
        });
    if (labels.isEmpty()) {
      return new Outcome(
          null,
          List.of(),
          0,
          0,
          "no shared row: no label has "
              + MIN_LABEL_FEEDBACK
              + " feedback documents in the window ("
              + counts.entrySet().stream()
                  .map(e -> head.labels().get(e.getKey()) + ": " + e.getValue())
                  .collect(Collectors.joining(", "))
              + ")",
          0);
    }
    List<String> names = labels.stream().map(head.labels()::get).toList();
    long cost = (long) labels.size() * head.experts() * (head.expertHidden() + 1);
    if (replay.isEmpty()) {
      return new Outcome(null, List.of(), 0, 0, "no shared row: the replay reservoir is empty", 0);
    }
    if (cost > budgetLeft) {
      return new Outcome(
          null,
          List.of(),
          0,
          0,
          String.format(
              Locale.ROOT,
              "no shared row: rows of %s need %d parameters, %d left in the budget",
              names,
              cost,
              budgetLeft),
          0);
    }
    MoeHeadWeights best = null;
    Evaluation bestEvaluation = null;
    double bestShare = 0;
    boolean bestLeaning = false;
    double bestLogLikelihood = Double.NEGATIVE_INFINITY;
    long privateSteps = 0;
    List<String> tried = new ArrayList<>();
    boolean[] rightBefore = guard == null ? null : guard.right(serving);
    List<LabeledEmbedding> samples = new ArrayList<>(train.size() + replay.size());
    train.forEach(s -> samples.add(s.toLabeled()));
    samples.addAll(replay);
    // by share, then label: the replayed samples of other labels its row answered as fitted once,
    // which the second fit weighs more (a private update fits each share once: every fit spends
    // privacy, so it records none)
    List<Map<Integer, boolean[]>> claims = new ArrayList<>();
    for (boolean leaning : List.of(false, true)) {
      for (int at = 0; at < SHARES.size(); at++) {
        double share = SHARES.get(at);
        if (leaning && claims.get(at).isEmpty()) {
          continue; // no row claimed a replayed sample: the second fit would be the first
        }
        if (!leaning) {
          claims.add(new TreeMap<>());
        }
        float feedbackWeight = (float) (share * replay.size() / train.size());
        MoeHeadWeights trial = serving.copy();
        for (int label : labels) {
          float[] weights =
              ClaimedReplay.weights(
                  samples.size(),
                  train.size(),
                  feedbackWeight,
                  leaning ? claims.get(at).get(label) : null);
          if (dp == null) {
            new SharedLabelRow(trial, label).fit(samples, weights, STEPS, LEARNING_RATE, L2);
            if (!leaning) {
              boolean[] claimed = ClaimedReplay.claimed(trial, label, samples, train.size());
              if (claimed != null) {
                claims.get(at).put(label, claimed);
              }
            }
          } else {
            new SharedLabelRow(trial, label)
                .fitPrivately(samples, weights, users, STEPS, LEARNING_RATE, L2, dp);
            privateSteps += STEPS;
          }
        }
        // the rows claim a few documents of other labels: say whose, then lower their bias until
        // the guard set is within its bound again (each step can only give answers back to the
        // others)
        String took = guard == null ? "" : took(guard.taken(rightBefore, trial));
        RowBackoff.Backoff backoff =
            RowBackoff.backOff(
                trial, labels, before, maxGuardDrop, targeted ? guard : null, evaluate);
        trial = backoff.weights();
        Evaluation e = backoff.evaluation();
        double logLikelihood = holdoutLogLikelihood.applyAsDouble(trial);
        tried.add(
            String.format(
                Locale.ROOT,
                "%.2f%s: %.3f/%.3f, %.3f%s%s",
                share,
                ClaimedReplay.named(leaning),
                e.holdoutAccuracy(),
                e.guardAccuracy(),
                logLikelihood,
                took,
                backoff.how()));
        boolean admissible =
            e.holdoutAccuracy() > before.holdoutAccuracy()
                && e.guardAccuracy() >= before.guardAccuracy() - maxGuardDrop - 1e-9;
        boolean better =
            bestEvaluation == null
                || e.holdoutAccuracy() > bestEvaluation.holdoutAccuracy()
                || e.holdoutAccuracy() == bestEvaluation.holdoutAccuracy()
                    && logLikelihood > bestLogLikelihood;
        if (admissible && better) {
          best = trial;
          bestEvaluation = e;
          bestShare = share;
          bestLeaning = leaning;
          bestLogLikelihood = logLikelihood;
        }
      }
    }
    String figures =
        "feedback share: held-out/guard accuracy, held-out log-likelihood "
            + String.join(", ", tried);
    if (best == null) {
      return new Outcome(
          null,
          List.of(),
          0,
          0,
          "no shared row: no candidate improved the held-out feedback within the guard bound ("
              + figures
              + ")",
          privateSteps);
    }
    return new Outcome(
        best,
        names,
        bestShare,
        cost,
        String.format(
            Locale.ROOT,
            "shared rows of %s in every expert at feedback share %.2f%s (%s)",
            names,
            bestShare,
            ClaimedReplay.named(bestLeaning),
            figures),
        privateSteps);
  }

  /**
   * The guard documents a fitted candidate took, for the note: {@code " [took spam 1, lore 2]"},
   * empty if none.
   */
  static String took(SortedMap<String, Integer> taken) {
    if (taken.isEmpty()) {
      return "";
    }
    return taken.entrySet().stream()
        .map(e -> e.getKey() + " " + e.getValue())
        .collect(Collectors.joining(", ", " [took ", "]"));
  }
}
