package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class LoadShapeTest {
  private static final long SECOND = 1_000_000_000L;

  private static List<LoadShape.Due> all(LoadShape shape) {
    List<LoadShape.Due> due = new ArrayList<>();
    for (Optional<LoadShape.Due> d = shape.next(); d.isPresent(); d = shape.next()) {
      due.add(d.get());
    }
    return due;
  }

  @Test
  void shouldSpaceTheSteadyLoadEvenlyWithoutBursts() {
    List<LoadShape.Due> due = all(new LoadShape(10, 5));

    assertThat(due)
        .extracting(LoadShape.Due::atNanos)
        .containsExactly(0L, SECOND / 10, 2 * SECOND / 10, 3 * SECOND / 10, 4 * SECOND / 10);
    assertThat(due).noneMatch(LoadShape.Due::burst);
  }

  @Test
  void shouldSendAtTheFactorTimesTheRateWhileABurstLasts() {
    // given 10/s for 10 s, and a burst of x4 from second 2 to second 4
    LoadShape shape = new LoadShape(10, 100);
    assertThat(shape.burst(2 * SECOND, 2 * SECOND, 4)).isTrue();

    List<LoadShape.Due> due = all(shape);

    // the 100 steady requests and 2 s x 30/s extra ones
    assertThat(due).hasSize(100 + 60);
    assertThat(shape.extraScheduled()).isEqualTo(60);
    assertThat(due).extracting(LoadShape.Due::atNanos).isSorted();
    long inBurst =
        due.stream().filter(d -> d.atNanos() >= 2 * SECOND && d.atNanos() < 4 * SECOND).count();
    assertThat(inBurst).isEqualTo(80); // 40/s for 2 s
    assertThat(due)
        .allMatch(d -> d.burst() == (d.atNanos() >= 2 * SECOND && d.atNanos() < 4 * SECOND));
    assertThat(due.stream().filter(d -> d.atNanos() >= 4 * SECOND).count()).isEqualTo(60);
  }

  @Test
  void shouldAddNoBurstOnceTheSteadyLoadIsOver() {
    LoadShape shape = new LoadShape(10, 3);
    all(shape);

    assertThat(shape.burst(SECOND, SECOND, 10)).isFalse();
    assertThat(shape.next()).isEmpty();
  }

  @Test
  void shouldSpreadTheHighShareEvenlyOverTheBurstRequests() {
    long high = LongStream.range(0, 1000).filter(k -> LoadShape.isHigh(k, 0.1)).count();
    List<Long> firstHigh =
        LongStream.range(0, 30).filter(k -> LoadShape.isHigh(k, 0.1)).boxed().toList();

    assertThat(high).isEqualTo(100);
    assertThat(firstHigh).containsExactly(9L, 19L, 29L);
    assertThat(LongStream.range(0, 100).noneMatch(k -> LoadShape.isHigh(k, 0))).isTrue();
    assertThat(LongStream.range(0, 100).allMatch(k -> LoadShape.isHigh(k, 1))).isTrue();
  }
}
