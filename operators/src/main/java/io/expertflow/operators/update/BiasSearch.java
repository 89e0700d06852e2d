package io.expertflow.operators.update;

import java.util.function.DoublePredicate;

/**
 * The smallest offset by which to lower a label's logits so that a check passes: fixed steps from
 * 0, then the last step halved a number of times. Used where a label answered too often must give
 * answers back until the guard set is within its bound: an update's shared row ({@link
 * SharedRowStage}) and the retrain it is compared with, held to the same bound. Lowering a label's
 * logits only hands answers back to the others, so the check, once passed, passes at every larger
 * offset, and the smallest one that passes is the one that gives back least. Stateless.
 */
public final class BiasSearch {
  /** Quarter-logit steps. */
  public static final double STEP = 0.25;

  /** At most this many steps (10 logits); beyond them the label is as good as never answered. */
  public static final int MAX_STEPS = 40;

  /** Halvings of the last step: to 1/64 logit. */
  public static final int BISECTIONS = 4;

  private BiasSearch() {}

  /**
   * What the search found.
   *
   * @param offset the smallest offset tried that passes; if none passed, the last one tried
   * @param passed whether {@code offset} passes
   */
  public record Found(double offset, boolean passed) {}

  /**
   * Searches offsets 0, {@link #STEP}, 2 {@link #STEP}, ... up to {@link #MAX_STEPS} steps, then
   * halves the last step {@link #BISECTIONS} times.
   *
   * @param passes whether lowering by an offset is enough
   * @param worthGoingOn whether an offset that does not pass still leaves something worth lowering
   *     further for (the search stops at the first that does not)
   */
  public static Found smallest(DoublePredicate passes, DoublePredicate worthGoingOn) {
    int steps = 0;
    boolean passed = passes.test(0);
    while (!passed && worthGoingOn.test(steps * STEP) && steps < MAX_STEPS) {
      steps++;
      passed = passes.test(steps * STEP);
    }
    if (!passed || steps == 0) {
      return new Found(steps * STEP, passed);
    }
    double fails = (steps - 1) * STEP;
    double enough = steps * STEP;
    for (int i = 0; i < BISECTIONS; i++) {
      double mid = (fails + enough) / 2;
      if (passes.test(mid)) {
        enough = mid;
      } else {
        fails = mid;
      }
    }
    return new Found(enough, true);
  }
}
