package io.expertflow.model.training;

import io.expertflow.model.corpus.LabeledDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Deterministic split of documents (never of passages) into train, validation and test, stratified
 * by label: within each label, documents are ordered by a seeded hash of their id, optionally
 * capped to the first {@code maxPerLabel}, and cut 70 / 15 / 15. Documents of a held-out label are
 * cut instead into {@link Split#SHIFT_TRAFFIC} (the first {@code trafficShare} by hash) and {@link
 * Split#SHIFT_EVALUATION} (the rest), and appear in no other part. The same seed and ids always
 * give the same split, whatever the input order. Stateless.
 */
public final class DocumentSplit {
  public static final double TRAIN_SHARE = 0.70;
  public static final double VALIDATION_SHARE = 0.15;

  /** Share of a held-out label's documents that form the week of traffic; the rest evaluate. */
  public static final double DEFAULT_TRAFFIC_SHARE = 0.5;

  private DocumentSplit() {}

  /**
   * Splits {@code documents}.
   *
   * @param maxPerLabel at most this many documents of each label are kept (the first by hash);
   *     {@link Integer#MAX_VALUE} keeps all
   */
  public static Map<Split, List<LabeledDocument>> split(
      List<LabeledDocument> documents, long seed, int maxPerLabel) {
    return split(documents, seed, maxPerLabel, Set.of(), DEFAULT_TRAFFIC_SHARE);
  }

  /**
   * Splits {@code documents}, cutting the documents of each label in {@code heldOutLabels} into a
   * traffic part and an evaluation part instead of train / validation / test.
   *
   * @param maxPerLabel at most this many documents of each label are kept (the first by hash);
   *     {@link Integer#MAX_VALUE} keeps all
   * @param trafficShare share of each held-out label's kept documents in {@link
   *     Split#SHIFT_TRAFFIC}, in (0, 1)
   */
  public static Map<Split, List<LabeledDocument>> split(
      List<LabeledDocument> documents,
      long seed,
      int maxPerLabel,
      Set<String> heldOutLabels,
      double trafficShare) {
    if (maxPerLabel <= 0) {
      throw new IllegalArgumentException("maxPerLabel must be > 0, was " + maxPerLabel);
    }
    if (!(trafficShare > 0 && trafficShare < 1)) {
      throw new IllegalArgumentException(
          "trafficShare must be in (0, 1) so that both the traffic and the evaluation pool get"
              + " documents, was "
              + trafficShare);
    }
    Map<String, List<LabeledDocument>> byLabel = new LinkedHashMap<>();
    for (LabeledDocument d : documents) {
      byLabel.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d);
    }
    Map<Split, List<LabeledDocument>> result = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      result.put(s, new ArrayList<>());
    }
    for (Map.Entry<String, List<LabeledDocument>> entry : byLabel.entrySet()) {
      List<LabeledDocument> group = entry.getValue();
      Map<LabeledDocument, String> keys = new HashMap<>();
      for (LabeledDocument d : group) {
        keys.put(d, hash(seed, d.id()));
      }
      List<LabeledDocument> ordered = new ArrayList<>(group);
      ordered.sort(
          Comparator.comparing((LabeledDocument d) -> keys.get(d))
              .thenComparing(LabeledDocument::id));
      List<LabeledDocument> kept = ordered.subList(0, Math.min(maxPerLabel, ordered.size()));
      int n = kept.size();
      if (heldOutLabels.contains(entry.getKey())) {
        int traffic = (int) Math.round(n * trafficShare);
        result.get(Split.SHIFT_TRAFFIC).addAll(kept.subList(0, traffic));
        result.get(Split.SHIFT_EVALUATION).addAll(kept.subList(traffic, n));
        continue;
      }
      int test =
          n >= 3 ? Math.max(1, (int) Math.round(n * (1 - TRAIN_SHARE - VALIDATION_SHARE))) : 0;
      int validation = n >= 3 ? Math.max(1, (int) Math.round(n * VALIDATION_SHARE)) : 0;
      int train = n - test - validation;
      result.get(Split.TRAIN).addAll(kept.subList(0, train));
      result.get(Split.VALIDATION).addAll(kept.subList(train, train + validation));
      result.get(Split.TEST).addAll(kept.subList(train + validation, n));
    }
    for (List<LabeledDocument> part : result.values()) {
      part.sort(Comparator.comparing(LabeledDocument::id));
    }
    return result;
  }

  /**
   * A split whose test part is a test set given apart: the documents that {@code split} put into
   * its test part train instead, and {@code fixedTest} (less any held-out label's documents) is the
   * test part. Validation stays as split.
   */
  public static Map<Split, List<LabeledDocument>> withFixedTest(
      Map<Split, List<LabeledDocument>> split,
      List<LabeledDocument> fixedTest,
      Set<String> heldOutLabels) {
    Map<Split, List<LabeledDocument>> result = new EnumMap<>(Split.class);
    split.forEach((s, docs) -> result.put(s, new ArrayList<>(docs)));
    result.get(Split.TRAIN).addAll(result.get(Split.TEST));
    result.put(
        Split.TEST,
        new ArrayList<>(
            fixedTest.stream().filter(d -> !heldOutLabels.contains(d.label())).toList()));
    for (List<LabeledDocument> part : result.values()) {
      part.sort(Comparator.comparing(LabeledDocument::id));
    }
    return result;
  }

  /** Documents per label, labels sorted. */
  public static Map<String, Integer> countByLabel(List<LabeledDocument> docs) {
    Map<String, Integer> counts = new java.util.TreeMap<>();
    docs.forEach(d -> counts.merge(d.label(), 1, Integer::sum));
    return counts;
  }

  private static String hash(long seed, String id) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
      digest.update((byte) 0);
      digest.update(id.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
