package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ClassificationMetricsTest {

  @Test
  void shouldComputeSubsetAccuracyMacroF1AndPerLabelFigures() {
    ClassificationMetrics m = new ClassificationMetrics(List.of("news", "fiction", "ham", "spam"));
    m.add(0, 0);
    m.add(0, 1);
    m.add(1, 1);
    m.add(1, 2); // a genre predicted as mail is simply wrong
    m.add(2, 2);
    m.add(2, 3);
    m.add(3, 3);
    m.add(3, 3);

    assertThat(m.accuracy(Set.of("news", "fiction"))).isEqualTo(0.5);
    // news: p = 1, r = 0.5, f1 = 2/3; fiction: p = 0.5, r = 0.5, f1 = 0.5
    assertThat(m.macroF1(Set.of("news", "fiction"))).isCloseTo((2.0 / 3 + 0.5) / 2, within(1e-9));
    assertThat(m.precision("spam")).isCloseTo(2.0 / 3, within(1e-9));
    assertThat(m.recall("spam")).isEqualTo(1.0);
    assertThat(m.f1("spam")).isCloseTo(0.8, within(1e-9));
    assertThat(m.accuracy()).isEqualTo(5.0 / 8);
  }
}
