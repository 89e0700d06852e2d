package io.expertflow.operators.update;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * New labels from feedback: the labels that a window's corrections name and the served label set
 * lacks, and the head grown to hold them, before the update learns them.
 *
 * <p>A label is added when feedback on at least {@code minDocuments} distinct requests corrects an
 * answer to it (a typo of one user, or a flood of feedback on one document, does not grow the
 * model). The grown head has one more output row per added label in every expert, of zero weights
 * and a bias below every answer's winning logit on the replayed training samples by {@link
 * #SILENT_MARGIN} (the new label's probability is then at most e^-7, about 0.1 %, where the old
 * head was sure, and it wins nowhere), and a neutral column in every domain expert. Every answer of
 * the grown head is the served head's; the update then learns the new rows like any corrected
 * label's (the shared-row stage in every expert, the per-expert stage in the chosen ones), and the
 * guard decides as for any update: a rejected update adds no label. Stateless.
 */
public final class LabelGrowth {
  /** How far below the lowest winning logit of the replay the new label's logit starts. */
  public static final float SILENT_MARGIN = 7f;

  /** Feedback events (distinct documents) that must name a new label before it is added. */
  public static final int DEFAULT_MIN_DOCUMENTS = SharedRowStage.MIN_LABEL_FEEDBACK;

  private LabelGrowth() {}

  /**
   * The weights an update starts from and the labels they added to the served ones.
   *
   * @param weights the served weights, or a grown copy of them
   * @param added the labels appended to the served label set, in order; empty if none
   * @param skipped new labels named by too few documents, with their counts
   */
  public record Grown(MoeHeadWeights weights, List<String> added, Map<String, Integer> skipped) {
    public Grown {
      added = List.copyOf(added);
      skipped = Map.copyOf(skipped);
    }
  }

  /**
   * The labels the window's corrections name that {@code known} lacks and that corrections on at
   * least {@code minDocuments} distinct requests name, sorted (so the same window grows the same
   * way); and, in {@code skipped}, the others with their counts.
   */
  public static List<String> newLabels(
      List<AttributedFeedback> feedback,
      List<String> known,
      int minDocuments,
      Map<String, Integer> skipped) {
    Map<String, Set<String>> documents = new TreeMap<>();
    for (AttributedFeedback f : feedback) {
      CharSequence corrected = f.getCorrectedLabel();
      if (corrected == null) {
        continue;
      }
      String label = corrected.toString();
      if (!label.isBlank() && !known.contains(label)) {
        // distinct requests, not feedback events: a flood on one document is one document
        documents.computeIfAbsent(label, l -> new HashSet<>()).add(f.getRequestId());
      }
    }
    List<String> added = new ArrayList<>();
    documents.forEach(
        (label, ids) -> {
          if (minDocuments > 0 && ids.size() >= minDocuments) {
            added.add(label);
          } else {
            skipped.put(label, ids.size());
          }
        });
    return added;
  }

  /**
   * The head an update on {@code feedback} starts from: {@code served} itself when the window names
   * no new label often enough (or {@code minDocuments} is 0, which turns growth off), else a copy
   * with the new labels appended.
   *
   * @param replay samples the new rows' bias is set against (the replay reservoir's)
   */
  public static Grown prepare(
      MoeHeadWeights served,
      List<AttributedFeedback> feedback,
      List<LabeledEmbedding> replay,
      int minDocuments) {
    Map<String, Integer> skipped = new TreeMap<>();
    List<String> added = newLabels(feedback, served.config().labels(), minDocuments, skipped);
    if (added.isEmpty()) {
      return new Grown(served, List.of(), skipped);
    }
    return new Grown(served.withAddedLabels(added, silentBias(served, replay)), added, skipped);
  }

  /**
   * The output bias that keeps a new label {@link #SILENT_MARGIN} below the winning logit of every
   * sample: with zero weights the new label's logit is this bias for every document.
   */
  static float silentBias(MoeHeadWeights served, List<LabeledEmbedding> samples) {
    MoeHeadReference head = new MoeHeadReference(served);
    float lowest = Float.POSITIVE_INFINITY;
    for (LabeledEmbedding s : samples) {
      float max = Float.NEGATIVE_INFINITY;
      for (float v : head.logits(s.embedding())) {
        max = Math.max(max, v);
      }
      lowest = Math.min(lowest, max);
    }
    return (Float.isFinite(lowest) ? lowest : 0f) - SILENT_MARGIN;
  }
}
