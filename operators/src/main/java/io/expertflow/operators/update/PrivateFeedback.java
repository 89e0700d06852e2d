package io.expertflow.operators.update;

import io.expertflow.operators.privacy.FeedbackUsers;
import io.expertflow.operators.privacy.PrivacyLedger;
import io.expertflow.operators.privacy.RdpAccountant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The feedback a private update may train on. Each user keeps at most {@link
 * DpConfig#maxSamplesPerUser()} samples (the first by feedback id), so no user weighs more than
 * that many documents in a window; a user whose total epsilon would pass {@link
 * DpConfig#maxEpsilon()} after this update is left out; and an update whose own epsilon passes the
 * budget is refused before it trains. Stateless.
 */
final class PrivateFeedback {
  private PrivateFeedback() {}

  /**
   * What a private update trains on.
   *
   * @param train the feedback samples kept, sorted by feedback id
   * @param users indices into {@code train} of each user's samples, one entry per user
   * @param userHashes {@link FeedbackUsers#hash} of each user, same order as {@code users}
   * @param note what was left out, in words
   * @param refusal why the update may not train at all, or {@code null}
   */
  record Selection(
      List<FeedbackSample> train,
      List<int[]> users,
      List<String> userHashes,
      String note,
      String refusal) {}

  /**
   * @param train the window's training feedback
   * @param planned the most RDP the update may spend ({@link PrivateTraining#planned}): the budget
   *     is checked against it before anything is trained
   */
  static Selection select(
      List<FeedbackSample> train, DpConfig dp, PrivacyLedger ledger, double[] planned) {
    double alone = RdpAccountant.epsilon(planned, dp.delta());
    if (alone > dp.maxEpsilon()) {
      return new Selection(
          List.of(),
          List.of(),
          List.of(),
          "",
          String.format(
              Locale.ROOT,
              "the update alone could cost each of its users epsilon %.2f at delta %.0e (noise"
                  + " multiplier %.2f), over the budget of %.2f a user (update.dp.max.epsilon):"
                  + " raise update.dp.noise.multiplier, or lower update.dp.sample.rate or"
                  + " update.epochs",
              alone,
              dp.delta(),
              dp.noiseMultiplier(),
              dp.maxEpsilon()));
    }
    List<FeedbackSample> sorted = new ArrayList<>(train);
    sorted.sort(Comparator.comparing(FeedbackSample::id));
    Map<String, List<FeedbackSample>> byUser = new TreeMap<>();
    int overCap = 0;
    for (FeedbackSample s : sorted) {
      List<FeedbackSample> mine = byUser.computeIfAbsent(s.user(), u -> new ArrayList<>());
      if (mine.size() < dp.maxSamplesPerUser()) {
        mine.add(s);
      } else {
        overCap++;
      }
    }
    Map<String, String> hashes = new LinkedHashMap<>();
    int spent = 0;
    List<FeedbackSample> kept = new ArrayList<>();
    for (Map.Entry<String, List<FeedbackSample>> e : byUser.entrySet()) {
      String hash = FeedbackUsers.hash(e.getKey());
      double total =
          RdpAccountant.epsilon(RdpAccountant.compose(ledger.rdp(hash), planned), dp.delta());
      if (total > dp.maxEpsilon()) {
        spent++;
        continue;
      }
      hashes.put(e.getKey(), hash);
      kept.addAll(e.getValue());
    }
    kept.sort(Comparator.comparing(FeedbackSample::id));
    Map<String, List<Integer>> indices = new TreeMap<>();
    for (int i = 0; i < kept.size(); i++) {
      indices.computeIfAbsent(kept.get(i).user(), u -> new ArrayList<>()).add(i);
    }
    List<int[]> users = new ArrayList<>();
    List<String> userHashes = new ArrayList<>();
    indices.forEach(
        (user, list) -> {
          users.add(list.stream().mapToInt(Integer::intValue).toArray());
          userHashes.add(hashes.get(user));
        });
    String note =
        String.format(
            Locale.ROOT,
            "%d feedback users trained on (%d samples over the cap of %d a user and %d users whose"
                + " privacy budget is spent left out)",
            users.size(),
            overCap,
            dp.maxSamplesPerUser(),
            spent);
    return new Selection(kept, users, userHashes, note, null);
  }
}
