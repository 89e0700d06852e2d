package io.expertflow.bench.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The cost of a million documents: the machine's price for the time they take. */
class CostPerMillionTest {
  private static BenchResult onDevice(String device) {
    ObjectNode json = (ObjectNode) Fixtures.json(Fixtures.FULL);
    ((ObjectNode) json.get("setup")).put("device", device);
    return BenchResult.of(json);
  }

  @Test
  void shouldBillEveryCoreForTheWallTimeOfAMillionDocuments() {
    Map<String, Object> json = CostPerMillion.json(onDevice("cpu"), new Prices(0.04, 3.00));

    // 10^6 documents at the worker's median 46.30/s take 6.0 hours; 2 cores at $0.04
    assertThat((double) json.get("worker")).isCloseTo(2 * 0.04 * 1e6 / 46.30 / 3600, within(1e-9));
    assertThat((double) json.get("ceiling")).isCloseTo(2 * 0.04 * 1e6 / 51.42 / 3600, within(1e-9));
    assertThat((double) json.get("pipeline")).isCloseTo(2 * 0.04 * 1e6 / 39.8 / 3600, within(1e-9));
    assertThat((double) json.get("naive")).isCloseTo(2 * 0.04 * 1e6 / 42.83 / 3600, within(1e-9));
    assertThat(json).containsEntry("gpu", false).containsEntry("cores", 2);
  }

  @Test
  void shouldAddTheGpuHourOnlyWhenTheDeviceIsAGpu() {
    Prices prices = new Prices(0.04, 3.00);

    double cuda = (double) CostPerMillion.json(onDevice("cuda"), prices).get("worker");
    double auto =
        (double)
            CostPerMillion.json(onDevice("auto (CUDA when available, else CPU)"), prices)
                .get("worker");

    assertThat(cuda).isCloseTo((2 * 0.04 + 3.00) * 1e6 / 46.30 / 3600, within(1e-9));
    assertThat(auto).isCloseTo(2 * 0.04 * 1e6 / 46.30 / 3600, within(1e-9));
  }

  @Test
  void shouldCostNothingWhenTheCoresWereNotRecorded() {
    ObjectNode json = (ObjectNode) Fixtures.json(Fixtures.FULL);
    ((ObjectNode) json.get("setup").get("machine")).remove("cores");

    assertThat(CostPerMillion.of(BenchResult.of(json), Prices.DEFAULTS)).isEmpty();
  }

  @Test
  void shouldRefuseAPriceBelowZero() {
    assertThatThrownBy(() -> new Prices(-0.01, 3.00))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "the price of a CPU core-hour must be a number of US dollars, 0 or more, not -0.01");
    assertThatThrownBy(() -> new Prices(0.04, Double.NaN))
        .hasMessageContaining("the price of a GPU-hour");
  }
}
