package io.expertflow.operators.update;

/**
 * Settings of the private update (DP-SGD): every training step that reads feedback clips each
 * feedback user's gradient to {@code clipNorm}, adds Gaussian noise of standard deviation {@code
 * noiseMultiplier * clipNorm} (times the feedback's loss weight) to the sum, and draws the users of
 * each step at random ({@link PrivateTraining}). Immutable and validated on construction.
 *
 * @param enabled whether the update trains privately; off, nothing below applies and nothing is
 *     accounted
 * @param noiseMultiplier sigma: noise standard deviation over the clip norm
 * @param clipNorm C: L2 bound of one user's gradient (and of one replayed sample's) in a step
 * @param sampleRate q: probability that a user takes part in a step of the shared-row stage; the
 *     per-expert stage draws every user and replayed sample at {@code batchSize / units} instead
 *     (textbook DP-SGD, as many steps as without DP)
 * @param delta the delta at which epsilons are reported and the budget is checked
 * @param maxEpsilon a user's total epsilon, over every update that trained on their feedback, may
 *     not exceed this: users whose total would are left out of the update, and an update that alone
 *     costs more is refused
 * @param maxSamplesPerUser feedback samples of one user trained on per window, at most (the rest of
 *     theirs, by feedback id, are left out)
 * @param noiseSeed seed of the sampling and the noise, for reproducible tests and figures only: a
 *     known seed lets anyone remove the noise, so the guarantee holds only with {@code null} (noise
 *     from {@link java.security.SecureRandom})
 */
public record DpConfig(
    boolean enabled,
    double noiseMultiplier,
    double clipNorm,
    double sampleRate,
    double delta,
    double maxEpsilon,
    int maxSamplesPerUser,
    Long noiseSeed) {

  public static final boolean DEFAULT_ENABLED = false;
  public static final double DEFAULT_NOISE_MULTIPLIER = 2.0;
  public static final double DEFAULT_CLIP_NORM = 1.0;
  public static final double DEFAULT_SAMPLE_RATE = 0.1;
  public static final double DEFAULT_DELTA = 1e-5;
  public static final double DEFAULT_MAX_EPSILON = 30;
  public static final int DEFAULT_MAX_SAMPLES_PER_USER = 5;

  public DpConfig {
    require(
        noiseMultiplier > 0 && Double.isFinite(noiseMultiplier),
        "noiseMultiplier must be a positive finite number (0 would add no noise), was "
            + noiseMultiplier);
    require(
        clipNorm > 0 && Double.isFinite(clipNorm),
        "clipNorm must be a positive finite number, was " + clipNorm);
    require(sampleRate > 0 && sampleRate <= 1, "sampleRate must be in (0, 1], was " + sampleRate);
    require(
        delta > 0 && delta <= 1e-3,
        "delta must be in (0, 0.001]: it is the chance that the guarantee fails, and must stay far"
            + " below 1 / the number of users; was "
            + delta);
    require(
        maxEpsilon > 0 && !Double.isNaN(maxEpsilon),
        "maxEpsilon must be > 0 (Infinity sets no budget), was " + maxEpsilon);
    require(maxSamplesPerUser >= 1, "maxSamplesPerUser must be >= 1, was " + maxSamplesPerUser);
  }

  /** Private training off (the default); the other values are the defaults for when it is on. */
  public static DpConfig disabled() {
    return new DpConfig(
        DEFAULT_ENABLED,
        DEFAULT_NOISE_MULTIPLIER,
        DEFAULT_CLIP_NORM,
        DEFAULT_SAMPLE_RATE,
        DEFAULT_DELTA,
        DEFAULT_MAX_EPSILON,
        DEFAULT_MAX_SAMPLES_PER_USER,
        null);
  }

  /** Private training on with the default settings. */
  public static DpConfig defaults() {
    return disabled().withEnabled(true);
  }

  public DpConfig withEnabled(boolean value) {
    return new DpConfig(
        value,
        noiseMultiplier,
        clipNorm,
        sampleRate,
        delta,
        maxEpsilon,
        maxSamplesPerUser,
        noiseSeed);
  }

  public DpConfig withNoiseMultiplier(double value) {
    return new DpConfig(
        enabled, value, clipNorm, sampleRate, delta, maxEpsilon, maxSamplesPerUser, noiseSeed);
  }

  public DpConfig withClipNorm(double value) {
    return new DpConfig(
        enabled,
        noiseMultiplier,
        value,
        sampleRate,
        delta,
        maxEpsilon,
        maxSamplesPerUser,
        noiseSeed);
  }

  public DpConfig withMaxEpsilon(double value) {
    return new DpConfig(
        enabled, noiseMultiplier, clipNorm, sampleRate, delta, value, maxSamplesPerUser, noiseSeed);
  }

  public DpConfig withNoiseSeed(Long value) {
    return new DpConfig(
        enabled,
        noiseMultiplier,
        clipNorm,
        sampleRate,
        delta,
        maxEpsilon,
        maxSamplesPerUser,
        value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid private update config: " + message);
    }
  }
}
