package io.expertflow.bench.report;

/**
 * What the machine costs, in US dollars: one CPU core for an hour and one GPU for an hour.
 * Validated when built: finite and not negative.
 *
 * @param cpuCoreHour the price of one core for one hour ({@code --price-cpu-core-hour})
 * @param gpuHour the price of one GPU for one hour, counted only on a GPU ({@code
 *     --price-gpu-hour})
 */
public record Prices(double cpuCoreHour, double gpuHour) {
  /** About an on-demand cloud vCPU-hour. */
  public static final double DEFAULT_CPU_CORE_HOUR = 0.04;

  /** About an on-demand data-centre GPU-hour. */
  public static final double DEFAULT_GPU_HOUR = 3.00;

  public static final Prices DEFAULTS = new Prices(DEFAULT_CPU_CORE_HOUR, DEFAULT_GPU_HOUR);

  public Prices {
    check("the price of a CPU core-hour", cpuCoreHour);
    check("the price of a GPU-hour", gpuHour);
  }

  private static void check(String what, double price) {
    if (!Double.isFinite(price) || price < 0) {
      throw new IllegalArgumentException(
          what + " must be a number of US dollars, 0 or more, not " + price);
    }
  }
}
