package io.expertflow.operators.update;

import io.expertflow.operators.privacy.FeedbackUsers;
import io.expertflow.operators.privacy.PrivacyLedger;
import io.expertflow.operators.privacy.RdpAccountant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.IntFunction;

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
   * @param planned what the update will spend if it trains this many users ({@link
   *     PrivateTraining#planned}); fewer users can only cost each more (a higher sample rate), so
   *     users over their budget are left out until none is
   */
  static Selection select(
      List<FeedbackSample> train,
      DpConfig dp,
      PrivacyLedger ledger,
      IntFunction<double[]> planned) {
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
    Map<String, String> hashes = new TreeMap<>();
    byUser.keySet().forEach(u -> hashes.put(u, FeedbackUsers.hash(u)));
    int spent = 0;
    while (true) {
      double[] cost = planned.apply(byUser.size());
      double alone = RdpAccountant.epsilon(cost, dp.delta());
      if (alone > dp.maxEpsilon()) {
        return new Selection(
            List.of(),
            List.of(),
            List.of(),
            "",
            String.format(
                Locale.ROOT,
                "the update alone would cost each of its users epsilon %.2f at delta %.0e (noise"
                    + " multiplier %.2f), over the budget of %.2f a user (update.dp.max.epsilon):"
                    + " raise update.dp.noise.multiplier, or lower update.dp.sample.rate or"
                    + " update.epochs",
                alone,
                dp.delta(),
                dp.noiseMultiplier(),
                dp.maxEpsilon()));
      }
      List<String> over = new ArrayList<>();
      for (String user : byUser.keySet()) {
        double[] total = RdpAccountant.compose(ledger.rdp(hashes.get(user)), cost);
        if (RdpAccountant.epsilon(total, dp.delta()) > dp.maxEpsilon()) {
          over.add(user);
        }
      }
      if (over.isEmpty()) {
        break;
      }
      over.forEach(byUser::remove);
      spent += over.size();
    }
    List<FeedbackSample> kept = new ArrayList<>();
    byUser.values().forEach(kept::addAll);
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
