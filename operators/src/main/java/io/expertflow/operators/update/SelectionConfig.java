package io.expertflow.operators.update;

import java.util.Objects;

/**
 * Settings of {@link ExpertSelectionPolicy}. Immutable and validated on construction.
 *
 * @param minFeedback an expert needs at least this many feedback events in the window
 * @param minNegativeRate and at least this share of them negative
 * @param parameterBudgetShare the update may change at most this share of the head's expert
 *     parameters ({@link io.expertflow.operators.moe.MoeHeadConfig#expertParameters()}), counted as
 *     what the {@code scope} actually changes
 * @param scope which parameters of a chosen expert change
 */
public record SelectionConfig(
    long minFeedback, double minNegativeRate, double parameterBudgetShare, UpdateScope scope) {

  public static final long DEFAULT_MIN_FEEDBACK = 10;
  public static final double DEFAULT_MIN_NEGATIVE_RATE = 0.2;
  public static final double DEFAULT_PARAMETER_BUDGET_SHARE = 0.01;

  public SelectionConfig {
    Objects.requireNonNull(scope, "scope");
    require(minFeedback >= 1, "minFeedback must be >= 1, was " + minFeedback);
    require(
        minNegativeRate >= 0 && minNegativeRate <= 1,
        "minNegativeRate must be in [0, 1], was " + minNegativeRate);
    require(
        parameterBudgetShare > 0 && parameterBudgetShare <= 1,
        "parameterBudgetShare must be in (0, 1], was " + parameterBudgetShare);
  }

  public static SelectionConfig defaults() {
    return new SelectionConfig(
        DEFAULT_MIN_FEEDBACK,
        DEFAULT_MIN_NEGATIVE_RATE,
        DEFAULT_PARAMETER_BUDGET_SHARE,
        UpdateScope.DEFAULT);
  }

  public SelectionConfig withMinFeedback(long value) {
    return new SelectionConfig(value, minNegativeRate, parameterBudgetShare, scope);
  }

  public SelectionConfig withMinNegativeRate(double value) {
    return new SelectionConfig(minFeedback, value, parameterBudgetShare, scope);
  }

  public SelectionConfig withParameterBudgetShare(double value) {
    return new SelectionConfig(minFeedback, minNegativeRate, value, scope);
  }

  public SelectionConfig withScope(UpdateScope value) {
    return new SelectionConfig(minFeedback, minNegativeRate, parameterBudgetShare, value);
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid expert selection config: " + message);
    }
  }
}
