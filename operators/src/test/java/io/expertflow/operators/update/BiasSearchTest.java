package io.expertflow.operators.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The smallest offset that passes, on checks whose threshold is known. */
class BiasSearchTest {

  @Test
  void shouldStepByQuarterLogitsThenHalveTheLastStepFourTimes() {
    List<Double> tried = new ArrayList<>();
    BiasSearch.Found found =
        BiasSearch.smallest(
            offset -> {
              tried.add(offset);
              return offset > Math.log(0.55 / 0.35); // 0.452
            },
            offset -> true);

    assertThat(found.passed()).isTrue();
    assertThat(found.offset()).isEqualTo(0.453125);
    assertThat(tried).containsExactly(0.0, 0.25, 0.5, 0.375, 0.4375, 0.46875, 0.453125);
  }

  @Test
  void shouldKeepAStepThatPassesExactlyAndNotLowerAtAllWhenNothingNeedsIt() {
    assertThat(BiasSearch.smallest(offset -> offset >= 0.75, offset -> true))
        .isEqualTo(new BiasSearch.Found(0.75, true));
    assertThat(BiasSearch.smallest(offset -> true, offset -> true))
        .isEqualTo(new BiasSearch.Found(0, true));
  }

  @Test
  void shouldGiveUpAfterTenLogitsOrWhenLoweringFurtherIsNotWorthIt() {
    assertThat(BiasSearch.smallest(offset -> false, offset -> true))
        .isEqualTo(new BiasSearch.Found(BiasSearch.MAX_STEPS * BiasSearch.STEP, false));
    // the held-out gain is gone at 0.5: the search stops there, failing
    assertThat(BiasSearch.smallest(offset -> offset > 3, offset -> offset < 0.5))
        .isEqualTo(new BiasSearch.Found(0.5, false));
  }
}
