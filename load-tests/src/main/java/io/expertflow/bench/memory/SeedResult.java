package io.expertflow.bench.memory;

import io.expertflow.memory.FusionConfig;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * One seed's figures of {@link MemoryFusionEvaluation}, and the Markdown tables they make. Test
 * figures are on the test split; pool figures on the shift evaluation pool (all of the held-out
 * label, so accuracy there is that label's recall; NaN without shift).
 *
 * @param tfidfWeight the weight of the TF-IDF model served beside the head (0: the head alone)
 * @param chosen the fusion setting chosen on validation
 * @param headAloneAccuracy test accuracy of the head without its TF-IDF model or memory
 * @param headAccuracy test accuracy of what a worker serves without memory (the head, with its
 *     TF-IDF model when there is one)
 * @param coverage share of test documents with at least one voting neighbour
 * @param meanTopSimilarity mean cosine of the test documents' nearest neighbours
 * @param poolChosen pool accuracy at the chosen setting
 * @param poolCoverage share of pool documents with at least one voting neighbour
 * @param poolFixed pool accuracy at each of the fixed weights (the first is 0: the head alone)
 * @param testFixed test accuracy at each of the fixed weights
 * @param poolUpdated pool accuracy after the offline weekly expert update that training ran
 */
record SeedResult(
    long seed,
    double tfidfWeight,
    FusionConfig chosen,
    double headAloneAccuracy,
    double headAccuracy,
    double fusedAccuracy,
    double knnAccuracy,
    double headMacroF1,
    double fusedMacroF1,
    double nearDuplicateShare,
    double coverage,
    double meanTopSimilarity,
    double poolChosen,
    double poolCoverage,
    double[] poolFixed,
    double[] testFixed,
    double poolUpdated,
    double poolBoth,
    double poolBothDefault) {

  static String plainTable(List<SeedResult> rows) {
    StringBuilder b = new StringBuilder();
    b.append("| seed | TF-IDF weight | w | T | head alone | served | served + memory | kNN alone |")
        .append(" served macro-F1 | served + memory macro-F1 | with a voter | mean top-1 cos |")
        .append(" near-duplicates |\n")
        .append(
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        .append(" ---: |\n");
    for (SeedResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.1f | %.2f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.0f%% | %.3f |"
                  + " %.1f%% |%n",
              r.seed,
              r.tfidfWeight,
              r.chosen.weight(),
              r.chosen.temperature(),
              r.headAloneAccuracy,
              r.headAccuracy,
              r.fusedAccuracy,
              r.knnAccuracy,
              r.headMacroF1,
              r.fusedMacroF1,
              100 * r.coverage,
              r.meanTopSimilarity,
              100 * r.nearDuplicateShare));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "| mean | | | | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | | | |%n",
            mean(rows, SeedResult::headAloneAccuracy),
            mean(rows, SeedResult::headAccuracy),
            mean(rows, SeedResult::fusedAccuracy),
            mean(rows, SeedResult::knnAccuracy),
            mean(rows, SeedResult::headMacroF1),
            mean(rows, SeedResult::fusedMacroF1)));
    return b.toString();
  }

  static String shiftTable(List<SeedResult> rows, String heldOut) {
    StringBuilder b = new StringBuilder();
    b.append("| seed | TF-IDF weight | w | T | '")
        .append(heldOut)
        .append("' served | served + memory | pool docs with a voter | after the weekly update |")
        .append(" update + memory | update + memory (w 0.5) |")
        .append(" test accuracy, served | test accuracy, served + memory |\n")
        .append("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        .append(" ---: |\n");
    for (SeedResult r : rows) {
      b.append(
          String.format(
              Locale.ROOT,
              "| %d | %.2f | %.1f | %.2f | %.3f | %.3f | %.0f%% | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
              r.seed,
              r.tfidfWeight,
              r.chosen.weight(),
              r.chosen.temperature(),
              r.poolFixed[0],
              r.poolChosen,
              100 * r.poolCoverage,
              r.poolUpdated,
              r.poolBoth,
              r.poolBothDefault,
              r.headAccuracy,
              r.fusedAccuracy));
    }
    b.append(
        String.format(
            Locale.ROOT,
            "| mean | | | | %.3f | %.3f | | %.3f | %.3f | %.3f | %.3f | %.3f |%n",
            mean(rows, r -> r.poolFixed[0]),
            mean(rows, SeedResult::poolChosen),
            mean(rows, SeedResult::poolUpdated),
            mean(rows, SeedResult::poolBoth),
            mean(rows, SeedResult::poolBothDefault),
            mean(rows, SeedResult::headAccuracy),
            mean(rows, SeedResult::fusedAccuracy)));
    return b.toString();
  }

  /** Held-out label accuracy and test accuracy at fixed weights, means over the seeds. */
  static String fixedWeightTable(List<SeedResult> rows, double[] weights) {
    StringBuilder b = new StringBuilder();
    b.append("| w (T 0.05, floor 0.5) | held-out label on the pool | test accuracy |\n")
        .append("| ---: | ---: | ---: |\n");
    for (int i = 0; i < weights.length; i++) {
      int w = i;
      b.append(
          String.format(
              Locale.ROOT,
              "| %.1f | %.3f | %.3f |%n",
              weights[i],
              mean(rows, r -> r.poolFixed[w]),
              mean(rows, r -> r.testFixed[w])));
    }
    return b.toString();
  }

  private static double mean(List<SeedResult> rows, ToDoubleFunction<SeedResult> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }
}
