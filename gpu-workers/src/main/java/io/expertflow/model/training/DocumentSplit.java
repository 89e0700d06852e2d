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

/**
 * Deterministic split of documents (never of passages) into train, validation and test, stratified
 * by label: within each label, documents are ordered by a seeded hash of their id, optionally
 * capped to the first {@code maxPerLabel}, and cut 70 / 15 / 15. The same seed and ids always give
 * the same split, whatever the input order. Stateless.
 */
public final class DocumentSplit {
  public static final double TRAIN_SHARE = 0.70;
  public static final double VALIDATION_SHARE = 0.15;

  private DocumentSplit() {}

  /**
   * Splits {@code documents}.
   *
   * @param maxPerLabel at most this many documents of each label are kept (the first by hash);
   *     {@link Integer#MAX_VALUE} keeps all
   */
  public static Map<Split, List<LabeledDocument>> split(
      List<LabeledDocument> documents, long seed, int maxPerLabel) {
    if (maxPerLabel <= 0) {
      throw new IllegalArgumentException("maxPerLabel must be > 0, was " + maxPerLabel);
    }
    Map<String, List<LabeledDocument>> byLabel = new LinkedHashMap<>();
    for (LabeledDocument d : documents) {
      byLabel.computeIfAbsent(d.label(), k -> new ArrayList<>()).add(d);
    }
    Map<Split, List<LabeledDocument>> result = new EnumMap<>(Split.class);
    for (Split s : Split.values()) {
      result.put(s, new ArrayList<>());
    }
    for (List<LabeledDocument> group : byLabel.values()) {
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
