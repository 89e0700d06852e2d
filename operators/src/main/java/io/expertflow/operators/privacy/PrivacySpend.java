package io.expertflow.operators.privacy;

import java.util.List;
import java.util.Objects;

/**
 * What one private update spent: its DP-SGD settings, its RDP vector (per order of {@link
 * RdpAccountant#orders()}), the epsilon it alone costs at {@code delta}, and the users whose
 * feedback it trained on (as {@link FeedbackUsers#hash}es), each of whom spent it.
 *
 * @param noiseMultiplier sigma: noise standard deviation over the clip norm
 * @param clipNorm C: a user's (or replayed sample's) gradient is clipped to this L2 norm
 * @param sampleRate q: the probability that a user takes part in a step
 * @param steps noisy steps that read the users' feedback, over all training stages
 * @param delta the delta the epsilons are given at
 * @param rdp the update's RDP, one value per order
 * @param epsilon the update's own epsilon at {@code delta}
 * @param users hashed ids of the users it trained on, sorted
 * @param maxUserEpsilon the largest total epsilon of any of {@code users} after this update
 *     (composition over every update each took part in)
 */
public record PrivacySpend(
    double noiseMultiplier,
    double clipNorm,
    double sampleRate,
    long steps,
    double delta,
    double[] rdp,
    double epsilon,
    List<String> users,
    double maxUserEpsilon) {
  public PrivacySpend {
    Objects.requireNonNull(rdp, "rdp");
    if (rdp.length != RdpAccountant.orders().length) {
      throw new IllegalArgumentException(
          "rdp has "
              + rdp.length
              + " values, the accountant tracks "
              + RdpAccountant.orders().length);
    }
    rdp = rdp.clone();
    users = users.stream().sorted().distinct().toList();
  }

  @Override
  public double[] rdp() {
    return rdp.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PrivacySpend p
        && p.noiseMultiplier == noiseMultiplier
        && p.clipNorm == clipNorm
        && p.sampleRate == sampleRate
        && p.steps == steps
        && p.delta == delta
        && java.util.Arrays.equals(p.rdp, rdp)
        && p.epsilon == epsilon
        && p.users.equals(users)
        && p.maxUserEpsilon == maxUserEpsilon;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        noiseMultiplier,
        clipNorm,
        sampleRate,
        steps,
        delta,
        java.util.Arrays.hashCode(rdp),
        epsilon,
        users,
        maxUserEpsilon);
  }

  @Override
  public String toString() {
    return String.format(
        java.util.Locale.ROOT,
        "epsilon %.2f at delta %.0e (noise multiplier %.2f, clip norm %.2f, sample rate %.3f, %d"
            + " steps, %d users; highest user total %.2f)",
        epsilon,
        delta,
        noiseMultiplier,
        clipNorm,
        sampleRate,
        steps,
        users.size(),
        maxUserEpsilon);
  }
}
