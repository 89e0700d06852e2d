package io.expertflow.bench.memory;

import io.expertflow.memory.FusionConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One seed's figures of {@link MemoryFusionEvaluation}, and the Markdown tables they make.
 *
 * @param chosen the fusion setting chosen on validation
 * @param poolHead accuracy of the head alone on the shift evaluation pool (NaN without shift)
 * @param poolFused the same with the memory
 * @param poolUpdated the same after the offline weekly expert update that training ran
 */
record SeedResult(
    long seed,
    FusionConfig chosen,
    double headAccuracy,
    double fusedAccuracy,
    double knnAccuracy,
    double headMacroF1,
    double fusedMacroF1,
    double nearDuplicateShare,
    double poolHead,
    double poolFused,
    double poolUpdated) {

  static String plainTable(List<SeedResult> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| seed | w | T | head accuracy | fused accuracy | kNN alone | head macro-F1 |")
        .append(" fused macro-F1 | near-duplicates |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (SeedResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.1f%% |%n",
              r.seed,
              r.chosen.weight(),
              r.chosen.temperature(),
              r.headAccuracy,
              r.fusedAccuracy,
              r.knnAccuracy,
              r.headMacroF1,
              r.fusedMacroF1,
              100 * r.nearDuplicateShare));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "| mean | | | %.3f | %.3f | %.3f | %.3f | %.3f | |%n",
            mean(rows, SeedResult::headAccuracy),
            mean(rows, SeedResult::fusedAccuracy),
            mean(rows, SeedResult::knnAccuracy),
            mean(rows, SeedResult::headMacroF1),
            mean(rows, SeedResult::fusedMacroF1)));
    return b.toString();
  }

  static String shiftTable(List<SeedResult> rows, String heldOut) {
    StringBuilder b = new StringBuilder();
    b.append("| seed | w | T | '")
        .append(heldOut)
        .append("' head alone | head + memory | after the weekly update |")
        .append(" test accuracy, head | test accuracy, head + memory |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
    for (SeedResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.1f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
              r.seed,
              r.chosen.weight(),
              r.chosen.temperature(),
              r.poolHead,
              r.poolFused,
              r.poolUpdated,
              r.headAccuracy,
              r.fusedAccuracy));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "| mean | | | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
            mean(rows, SeedResult::poolHead),
            mean(rows, SeedResult::poolFused),
            mean(rows, SeedResult::poolUpdated),
            mean(rows, SeedResult::headAccuracy),
            mean(rows, SeedResult::fusedAccuracy)));
    return b.toString();
  }

  private static double mean(List<SeedResult> rows, ToDoubleFunction<SeedResult> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }
}
