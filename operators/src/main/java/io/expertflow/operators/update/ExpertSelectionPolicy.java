package io.expertflow.operators.update;

import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;

/**
 * Chooses the experts a closed window's feedback should update: experts with enough feedback and a
 * high enough negative rate, worst negative rate first (then more feedback, then lower id), as long
 * as the parameters their update changes fit the budget. Every expert with statistics gets a
 * decision with a reason, chosen or not.
 *
 * <p>Stateless and thread-safe.
 */
public final class ExpertSelectionPolicy {
  private static final Comparator<ExpertWindowStats> WORST_FIRST =
      Comparator.comparingDouble((ExpertWindowStats s) -> -negativeRate(s))
          .thenComparing(s -> -s.getCount())
          .thenComparingInt(ExpertWindowStats::getExpert);

  private final SelectionConfig config;

  public ExpertSelectionPolicy(SelectionConfig config) {
    this.config = Objects.requireNonNull(config, "config");
  }

  /**
   * Plans the update of one closed window.
   *
   * @param head the served head's shape (its expert count and label set)
   * @param stats the window's statistics, at most one per expert (a later duplicate of an expert
   *     replaces an earlier one)
   * @throws IllegalArgumentException if {@code stats} is empty or mixes windows
   */
  public ExpertUpdatePlan plan(MoeHeadConfig head, List<ExpertWindowStats> stats) {
    Objects.requireNonNull(head, "head");
    if (stats.isEmpty()) {
      throw new IllegalArgumentException("no window statistics: there is nothing to plan from");
    }
    Instant start = stats.get(0).getWindowStart();
    Instant end = stats.get(0).getWindowEnd();
    Map<Integer, ExpertWindowStats> byExpert = new LinkedHashMap<>();
    for (ExpertWindowStats s : stats) {
      if (!s.getWindowStart().equals(start) || !s.getWindowEnd().equals(end)) {
        throw new IllegalArgumentException(
            "statistics of several windows given: ["
                + start
                + ", "
                + end
                + ") and ["
                + s.getWindowStart()
                + ", "
                + s.getWindowEnd()
                + "); plan one window at a time");
      }
      byExpert.put(s.getExpert(), s);
    }
    List<ExpertWindowStats> ordered = new ArrayList<>(byExpert.values());
    ordered.sort(WORST_FIRST);
    long budget = (long) Math.floor(config.parameterBudgetShare() * head.expertParameters());
    long used = 0;
    List<ExpertUpdatePlan.Decision> decisions = new ArrayList<>();
    for (ExpertWindowStats s : ordered) {
      List<String> labels = correctedLabels(s, head);
      String skip = skipReason(s, head, labels);
      if (skip != null) {
        decisions.add(new ExpertUpdatePlan.Decision(s.getExpert(), false, skip, labels, 0));
        continue;
      }
      long cost = config.scope().parametersPerExpert(head, labels.size());
      if (used + cost > budget) {
        decisions.add(
            new ExpertUpdatePlan.Decision(
                s.getExpert(),
                false,
                String.format(
                    Locale.ROOT,
                    "over the parameter budget: needs %d parameters, %d of %d left",
                    cost,
                    budget - used,
                    budget),
                labels,
                0));
        continue;
      }
      used += cost;
      decisions.add(
          new ExpertUpdatePlan.Decision(
              s.getExpert(),
              true,
              String.format(
                  Locale.ROOT,
                  "negative rate %.3f over %d feedback events; updates %d parameters (%s%s)",
                  negativeRate(s),
                  s.getCount(),
                  cost,
                  config.scope(),
                  labels.isEmpty() ? "" : " of labels " + labels),
              labels,
              cost));
    }
    return new ExpertUpdatePlan(start, end, config.scope(), budget, decisions);
  }

  private String skipReason(ExpertWindowStats s, MoeHeadConfig head, List<String> labels) {
    if (s.getExpert() < 0 || s.getExpert() >= head.experts()) {
      return "unknown expert: the head has experts 0 to " + (head.experts() - 1);
    }
    if (s.getCount() < config.minFeedback()) {
      return "too little feedback: "
          + s.getCount()
          + " events, at least "
          + config.minFeedback()
          + " needed";
    }
    if (negativeRate(s) < config.minNegativeRate()) {
      return String.format(
          Locale.ROOT,
          "negative rate too low: %.3f is below %.3f",
          negativeRate(s),
          config.minNegativeRate());
    }
    if (config.scope().needsFeedbackLabels() && labels.isEmpty()) {
      return "no corrected label of the head's label set: nothing to learn under " + config.scope();
    }
    return null;
  }

  /** The labels the expert's feedback corrected to, restricted to the head's label set. */
  private static List<String> correctedLabels(ExpertWindowStats s, MoeHeadConfig head) {
    TreeSet<String> labels = new TreeSet<>();
    for (LabelConfusion c : s.getConfusion()) {
      if (c.getCount() > 0
          && !c.getActual().equals(c.getPredicted())
          && head.labels().contains(c.getActual())) {
        labels.add(c.getActual());
      }
    }
    return List.copyOf(labels);
  }

  /** The negative rate, recomputed from the counts when they are consistent. */
  private static double negativeRate(ExpertWindowStats s) {
    return s.getCount() > 0 ? (double) s.getNegatives() / s.getCount() : 0.0;
  }
}
