package io.expertflow.operators.update;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A window's feedback split into a training part and a held-out part that judges the update. The
 * split is a pure function of the feedback ids: within each label, samples are ordered by the
 * SHA-256 of their id and the first {@code round(share * n)} are held out, so re-running a window
 * gives the same split whatever the order the records arrived in.
 *
 * @param train samples the update learns from
 * @param holdout samples it is judged on
 */
public record FeedbackSplit(List<FeedbackSample> train, List<FeedbackSample> holdout) {
  public FeedbackSplit {
    train = List.copyOf(train);
    holdout = List.copyOf(holdout);
  }

  /**
   * Splits {@code samples}, holding out {@code share} of each label.
   *
   * @throws IllegalArgumentException if {@code share} is outside [0, 1]
   */
  public static FeedbackSplit of(List<FeedbackSample> samples, double share) {
    if (!(share >= 0 && share <= 1)) {
      throw new IllegalArgumentException("holdout share must be in [0, 1], was " + share);
    }
    Map<Integer, List<FeedbackSample>> byLabel = new TreeMap<>();
    for (FeedbackSample s : samples) {
      byLabel.computeIfAbsent(s.label(), k -> new ArrayList<>()).add(s);
    }
    List<FeedbackSample> train = new ArrayList<>();
    List<FeedbackSample> holdout = new ArrayList<>();
    Comparator<FeedbackSample> byHash =
        Comparator.comparing((FeedbackSample s) -> hash(s.id())).thenComparing(FeedbackSample::id);
    for (List<FeedbackSample> group : byLabel.values()) {
      group.sort(byHash);
      int held = (int) Math.round(share * group.size());
      holdout.addAll(group.subList(0, held));
      train.addAll(group.subList(held, group.size()));
    }
    train.sort(Comparator.comparing(FeedbackSample::id));
    holdout.sort(Comparator.comparing(FeedbackSample::id));
    return new FeedbackSplit(train, holdout);
  }

  private static String hash(String id) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(sha.digest(id.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
