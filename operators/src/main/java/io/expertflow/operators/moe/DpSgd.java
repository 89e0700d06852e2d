package io.expertflow.operators.moe;

import java.util.Objects;
import java.util.Random;

/**
 * One DP-SGD configuration as the training loops use it: each unit (a feedback user's samples
 * together, or one replayed sample) takes part in a step with probability {@code sampleRate}
 * (Poisson subsampling), its gradient is clipped to L2 norm {@code clipNorm}, and Gaussian noise of
 * standard deviation {@code noiseMultiplier × clipNorm × weight} is added to the sum, where {@code
 * weight} is the largest loss weight of a private unit (a unit's clipped gradient is multiplied by
 * its loss weight, so that is its sensitivity). The sum is then divided by the expected batch (in
 * weight), not the drawn one, so the batch size reveals nothing.
 *
 * @param sampleRate q, in (0, 1]
 * @param noiseMultiplier sigma, > 0
 * @param clipNorm C, > 0
 * @param random draws the batches and the noise; a {@link java.security.SecureRandom} unless
 *     results must be reproducible (then the noise is known to whoever knows the seed)
 */
public record DpSgd(double sampleRate, double noiseMultiplier, double clipNorm, Random random) {
  public DpSgd {
    if (!(sampleRate > 0 && sampleRate <= 1)) {
      throw new IllegalArgumentException("sample rate must be in (0, 1], was " + sampleRate);
    }
    if (!(noiseMultiplier > 0) || !(clipNorm > 0)) {
      throw new IllegalArgumentException(
          "noise multiplier and clip norm must be > 0, were " + noiseMultiplier + ", " + clipNorm);
    }
    Objects.requireNonNull(random, "random");
  }

  /** Whether a unit takes part in the next step. */
  public boolean draw() {
    return sampleRate >= 1 || random.nextDouble() < sampleRate;
  }

  /** The factor that brings a gradient of this L2 norm within the clip norm (1 if it is). */
  public float clipFactor(double norm) {
    return norm > clipNorm ? (float) (clipNorm / norm) : 1f;
  }

  /** Noise standard deviation for units whose loss weight is at most {@code weight}. */
  public double noiseStd(double weight) {
    return noiseMultiplier * clipNorm * weight;
  }

  /** Steps in one pass: each unit takes part once per pass in expectation. */
  public int stepsPerEpoch() {
    return (int) Math.ceil(1 / sampleRate - 1e-9);
  }

  /** One draw of N(0, std²). */
  public double gaussian(double std) {
    return std * random.nextGaussian();
  }
}
