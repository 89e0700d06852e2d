package io.expertflow.bench.report;

import java.util.ArrayList;
import java.util.List;

/** Axis ranges with round tick values: linear from zero, and logarithmic. */
final class Scale {
  private Scale() {}

  /** The smallest of 1, 2, 2.5, 5 times a power of ten at or above {@code max} (1 for nothing). */
  static double niceMax(double max) {
    if (!(max > 0) || !Double.isFinite(max)) {
      return 1;
    }
    double power = Math.pow(10, Math.floor(Math.log10(max)));
    for (double step : new double[] {1, 2, 2.5, 5, 10}) {
      if (step * power >= max * (1 - 1e-9)) {
        return step * power;
      }
    }
    return 10 * power;
  }

  /** Five steps from 0 to {@code niceMax}. */
  static List<Double> linearTicks(double niceMax) {
    List<Double> ticks = new ArrayList<>();
    for (int i = 0; i <= 5; i++) {
      ticks.add(niceMax * i / 5);
    }
    return ticks;
  }

  /** A tick of a linear axis up to {@code niceMax}, with the decimals its step needs. */
  static String linearTick(double value, double niceMax) {
    double step = niceMax / 5;
    int decimals = 0;
    while (decimals < 6
        && Math.abs(step * Math.pow(10, decimals) - Math.rint(step * Math.pow(10, decimals)))
            > 1e-9 * Math.pow(10, decimals)) {
      decimals++;
    }
    return Html.number(value, decimals);
  }

  /** 1, 2 and 5 times each power of ten from {@code low} to {@code high} (both powers of ten). */
  static List<Double> logTicks(double low, double high) {
    List<Double> ticks = new ArrayList<>();
    for (double p = low; p <= high * (1 + 1e-9); p *= 10) {
      for (double step : new double[] {1, 2, 5}) {
        if (step * p <= high * (1 + 1e-9)) {
          ticks.add(step * p);
        }
      }
    }
    return ticks;
  }

  static double powerOfTenBelow(double v) {
    return Math.pow(10, Math.floor(Math.log10(v)));
  }

  static double powerOfTenAbove(double v) {
    return Math.pow(10, Math.ceil(Math.log10(v)));
  }
}
