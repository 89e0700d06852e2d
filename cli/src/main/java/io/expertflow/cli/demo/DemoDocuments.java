package io.expertflow.cli.demo;

import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.training.DocumentSplit;
import io.expertflow.model.training.ShiftPools;
import io.expertflow.model.training.Split;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;

/**
 * The documents of one demo run, drawn from the labelled corpora so that the model has seen none of
 * them in training.
 *
 * <ul>
 *   <li>{@code evaluation}: sent in the bulk phase and again after the update; the test split of
 *       every trained label plus the new label's evaluation pool, shuffled;
 *   <li>{@code week}: the new label's traffic pool, the "new kind of document" that arrives during
 *       the simulated week and on which users give feedback.
 * </ul>
 *
 * The split is the training's own ({@link DocumentSplit} with the same seed, cap and held-out
 * label; the pools training wrote to {@code shift-pools.json}), so the model has seen none of these
 * documents.
 *
 * @param evaluation documents scored before and after the update
 * @param week documents of the new label that users give feedback on
 * @param newLabel the label held out of training, or null when the run has no feedback week
 */
public record DemoDocuments(
    List<DemoDocument> evaluation, List<DemoDocument> week, String newLabel) {
  /** Seed of the demo's shuffles, so that every run sends the same documents. */
  public static final long DEFAULT_SEED = 7;

  public DemoDocuments {
    evaluation = List.copyOf(evaluation);
    week = List.copyOf(week);
  }

  /** Documents without labels (the user's own files): no accuracy, no feedback week. */
  public static DemoDocuments unlabelled(List<DemoDocument> documents) {
    return new DemoDocuments(documents, List.of(), null);
  }

  /**
   * Draws the run's documents.
   *
   * @param corpus every document of the corpora
   * @param splitSeed the seed the model's training split used
   * @param docsPerLabel the cap per label the training used
   * @param newLabel the label held out of training
   * @param evaluationCount at most this many evaluation documents, but never fewer than the new
   *     label's whole evaluation pool (while the test split lasts)
   * @param weekCount at most this many week documents
   */
  public static DemoDocuments draw(
      List<LabeledDocument> corpus,
      long splitSeed,
      int docsPerLabel,
      String newLabel,
      int evaluationCount,
      int weekCount) {
    Objects.requireNonNull(newLabel, "newLabel");
    if (evaluationCount < 1 || weekCount < 0) {
      throw new IllegalArgumentException(
          "evaluation count must be >= 1 and week count >= 0, were "
              + evaluationCount
              + " and "
              + weekCount);
    }
    Map<Split, List<LabeledDocument>> split =
        DocumentSplit.split(
            corpus, splitSeed, docsPerLabel, Set.of(newLabel), DocumentSplit.DEFAULT_TRAFFIC_SHARE);
    List<LabeledDocument> traffic = split.get(Split.SHIFT_TRAFFIC);
    if (traffic.isEmpty() || split.get(Split.SHIFT_EVALUATION).isEmpty()) {
      throw new IllegalArgumentException(
          "the corpora hold too few documents of the new label '"
              + newLabel
              + "' for a week and an evaluation; at least 2 are needed");
    }
    List<LabeledDocument> others = new ArrayList<>(split.get(Split.TEST));
    others.sort(Comparator.comparing(LabeledDocument::id));
    Collections.shuffle(others, new Random(DEFAULT_SEED));
    List<LabeledDocument> shifted = split.get(Split.SHIFT_EVALUATION);
    List<LabeledDocument> pool = new ArrayList<>(shifted);
    pool.addAll(
        others.subList(0, Math.min(Math.max(0, evaluationCount - shifted.size()), others.size())));
    pool.sort(Comparator.comparing(LabeledDocument::id));
    Collections.shuffle(pool, new Random(DEFAULT_SEED));
    return new DemoDocuments(
        demo(pool), demo(traffic.subList(0, Math.min(weekCount, traffic.size()))), newLabel);
  }

  /** The same run with only the new label's documents to evaluate (the feedback loop alone). */
  public DemoDocuments newLabelOnly() {
    return new DemoDocuments(
        evaluation.stream().filter(d -> newLabel != null && newLabel.equals(d.label())).toList(),
        week,
        newLabel);
  }

  /**
   * Checks that this run's week and new-label evaluation documents are the pools the model's
   * training wrote ({@code shift-pools.json}), so the demo sends and measures what the offline
   * update did.
   *
   * @throws IllegalStateException naming the first document that differs
   */
  public void checkMatches(ShiftPools pools) {
    Set<String> traffic = new HashSet<>();
    pools.traffic().forEach(p -> traffic.add(p.id()));
    Set<String> measured = new HashSet<>();
    pools.evaluation().forEach(p -> measured.add(p.id()));
    for (DemoDocument d : week) {
      if (!traffic.contains(d.id())) {
        throw new IllegalStateException(mismatch("week document " + d.id(), "traffic"));
      }
    }
    Set<String> evaluated = new HashSet<>();
    evaluation.stream()
        .filter(d -> Objects.equals(newLabel, d.label()))
        .forEach(d -> evaluated.add(d.id()));
    if (!evaluated.equals(measured)) {
      throw new IllegalStateException(
          mismatch(evaluated.size() + " '" + newLabel + "' evaluation documents", "evaluation"));
    }
  }

  private static String mismatch(String what, String pool) {
    return "the demo's "
        + what
        + " differ from the "
        + pool
        + " pool the model was trained with (shift-pools.json): the model was trained with"
        + " another seed, cap or corpus; delete its folder so that the demo trains it again";
  }

  /** Whether the run has a feedback week. */
  public boolean hasWeek() {
    return newLabel != null && !week.isEmpty();
  }

  private static List<DemoDocument> demo(List<LabeledDocument> docs) {
    return docs.stream().map(d -> new DemoDocument(d.id(), d.text(), d.label())).toList();
  }
}
