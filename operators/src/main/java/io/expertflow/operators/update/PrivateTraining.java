package io.expertflow.operators.update;

import io.expertflow.operators.moe.DpSgd;
import io.expertflow.operators.privacy.PrivacyLedger;
import io.expertflow.operators.privacy.PrivacySpend;
import io.expertflow.operators.privacy.RdpAccountant;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;

/**
 * The DP-SGD of one private update and what it spends. The two stages draw feedback users at
 * different rates:
 *
 * <ul>
 *   <li>the shared-row stage ({@link SharedRowStage}) draws each user at {@link
 *       DpConfig#sampleRate()} in each of its full-batch steps (the replayed samples, public, take
 *       part in every step);
 *   <li>the per-expert stage ({@link ScopedFineTuning}) is textbook DP-SGD over units (each user's
 *       samples together, each replayed sample alone): every unit at {@code batchSize / units}, so
 *       that it takes as many steps of the same expected batch as without DP.
 * </ul>
 *
 * RDP composes over both, and over the candidates the shared-row stage fits. One source of
 * randomness draws the batches and the noise of both. Not thread-safe: one per update.
 */
final class PrivateTraining {
  private final DpConfig dp;
  private final int batchSize;
  private final Random random;
  private double[] rdp = RdpAccountant.zero();
  private long steps;
  private double maxRate;

  PrivateTraining(UpdateConfig config) {
    this.dp = config.dp();
    this.batchSize = config.batchSize();
    this.random = dp.noiseSeed() == null ? new SecureRandom() : new Random(dp.noiseSeed());
  }

  /** DP-SGD of the shared-row stage. */
  DpSgd sharedRows() {
    return new DpSgd(dp.sampleRate(), dp.noiseMultiplier(), dp.clipNorm(), random);
  }

  /** DP-SGD of the per-expert stage over {@code units} units. */
  DpSgd experts(int units) {
    return new DpSgd(expertRate(batchSize, units), dp.noiseMultiplier(), dp.clipNorm(), random);
  }

  static double expertRate(int batchSize, int units) {
    return Math.min(1.0, (double) batchSize / Math.max(1, units));
  }

  /** Records {@code stageSteps} noisy steps of {@code stage}. */
  void spent(DpSgd stage, long stageSteps) {
    if (stageSteps > 0) {
      rdp =
          RdpAccountant.compose(
              rdp, RdpAccountant.rdp(stage.sampleRate(), dp.noiseMultiplier(), stageSteps));
      steps += stageSteps;
      maxRate = Math.max(maxRate, stage.sampleRate());
    }
  }

  /**
   * What an update that trains {@code users} users will spend, before it trains: {@code
   * sharedSteps} steps at the shared-row rate and, if experts are chosen ({@code replay >= 0}), the
   * per-expert stage's steps at its rate for {@code users + replay} units. The shared-row stage may
   * take fewer steps (a candidate's label may have too little feedback), never more.
   */
  static double[] planned(UpdateConfig config, long sharedSteps, int users, int replay) {
    DpConfig dp = config.dp();
    double[] shared = RdpAccountant.rdp(dp.sampleRate(), dp.noiseMultiplier(), sharedSteps);
    if (replay < 0 || users + replay == 0) {
      return shared;
    }
    int units = users + replay;
    long expertSteps =
        (long) config.epochs() * (long) Math.ceil(units / (double) config.batchSize());
    return RdpAccountant.compose(
        shared,
        RdpAccountant.rdp(
            expertRate(config.batchSize(), units), dp.noiseMultiplier(), expertSteps));
  }

  /** What the update spent, on each of {@code users} (none if it took no noisy step). */
  PrivacySpend spend(List<String> users, PrivacyLedger before) {
    List<String> spentOn = steps == 0 ? List.of() : users;
    PrivacyLedger after = before.plus(spentOn, rdp);
    double max = 0;
    for (String user : spentOn) {
      max = Math.max(max, after.epsilon(user, dp.delta()));
    }
    return new PrivacySpend(
        dp.noiseMultiplier(),
        dp.clipNorm(),
        maxRate,
        steps,
        dp.delta(),
        rdp,
        RdpAccountant.epsilon(rdp, dp.delta()),
        spentOn,
        max);
  }
}
