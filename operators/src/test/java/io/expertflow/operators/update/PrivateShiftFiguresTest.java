package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shift scenario on the synthetic fixture (a label the head lacks, learned from corrections, as
 * {@code expertflow train --hold-out-label} does on real data) without DP and at several noise
 * multipliers, three seeds each (the update's seed and its noise seed). Writes the table of
 * docs/FEEDBACK-LOOP.md to {@code target/private-shift-figures.md} and checks what must hold
 * whatever the figures: more noise costs less epsilon, and nothing published costs the guard set.
 */
class PrivateShiftFiguresTest {
  private static final SelectionConfig SELECTION =
      SelectionConfig.defaults().withParameterBudgetShare(0.1).withMinFeedback(4);
  private static final double[] SIGMAS = {0.5, 1.0, 2.0, 4.0};
  private static final double[] CLIPS = {1.0, 5.0};
  private static final long[] SEEDS = {1, 7, 42};

  private static ShiftFixture fixture;

  @BeforeAll
  static void trainHead() {
    fixture = ShiftFixture.createWithoutNewLabel();
  }

  @Test
  void shouldSpendLessPrivacyWithMoreNoiseAndNeverPublishAGuardRegression() throws IOException {
    List<String> rows = new ArrayList<>();
    rows.add(
        "| noise multiplier | clip norm | epsilon (delta 1e-5) | seed | new label: before -> after"
            + " | guard: before -> after | verdict |");
    rows.add("| --- | --- | --- | --- | --- | --- | --- |");
    for (long seed : SEEDS) {
      ShiftFigures plain = run(UpdateConfig.defaults().withSeed(seed));
      rows.add(row("off", "-", "-", seed, plain));
      assertGuardBound(plain);
    }
    for (double clip : CLIPS) {
      double previousEpsilon = Double.POSITIVE_INFINITY;
      for (double sigma : SIGMAS) {
        double epsilon = Double.NaN;
        for (long seed : SEEDS) {
          DpConfig dp =
              DpConfig.defaults()
                  .withNoiseMultiplier(sigma)
                  .withClipNorm(clip)
                  .withMaxEpsilon(Double.POSITIVE_INFINITY)
                  .withNoiseSeed(seed);
          ShiftFigures f = run(UpdateConfig.defaults().withSeed(seed).withDp(dp));
          assertThat(f.privacy()).as(f.reason()).isNotNull();
          epsilon = f.privacy().epsilon();
          rows.add(
              row(
                  String.format(Locale.ROOT, "%.1f", sigma),
                  String.format(Locale.ROOT, "%.1f", clip),
                  String.format(Locale.ROOT, "%.2f (%d steps)", epsilon, f.privacy().steps()),
                  seed,
                  f));
          assertGuardBound(f);
        }
        assertThat(epsilon).as("sigma %s", sigma).isLessThan(previousEpsilon);
        previousEpsilon = epsilon;
      }
    }
    Path out = Path.of("target", "private-shift-figures.md");
    Files.createDirectories(out.getParent());
    Files.writeString(out, String.join("\n", rows) + "\n");
  }

  private static void assertGuardBound(ShiftFigures f) {
    if (f.published()) {
      assertThat(f.guardBefore() - f.guardAfter())
          .as(f.reason())
          .isLessThanOrEqualTo(UpdateConfig.DEFAULT_MAX_GUARD_DROP + 1e-9);
    }
  }

  private static String row(String sigma, String clip, String eps, long seed, ShiftFigures f) {
    String verdict = f.published() ? "published" : f.reason().replaceFirst(";.*", "");
    return String.format(
        Locale.ROOT,
        "| %s | %s | %s | %d | %.3f -> %.3f | %.3f -> %.3f | %s |",
        sigma,
        clip,
        eps,
        seed,
        f.newLabelBefore(),
        f.newLabelAfter(),
        f.guardBefore(),
        f.guardAfter(),
        verdict);
  }

  private static ShiftFigures run(UpdateConfig update) {
    return new ShiftScenario(SELECTION, update)
        .run(
            "synthetic",
            "base",
            fixture.trained.weights(),
            fixture.trained.reservoir(),
            fixture.guard,
            fixture.shifted,
            fixture.shiftedEvaluation,
            ShiftFixture.LABELS);
  }
}
