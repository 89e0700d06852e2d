package io.expertflow.operators.fuzz;

import java.util.Random;
import java.util.function.Consumer;

/**
 * The seeded random source of the fuzz tests: {@code -Dexpertflow.fuzz.tries=N} inputs per case
 * (default {@value #DEFAULT_TRIES}) from {@code -Dexpertflow.fuzz.seed=S} (default fixed, so a
 * build is repeatable). A failure names the seed and the try, which replays it.
 */
public final class Fuzz {
  public static final int DEFAULT_TRIES = 2000;
  public static final int TRIES = Integer.getInteger("expertflow.fuzz.tries", DEFAULT_TRIES);
  public static final long SEED = Long.getLong("expertflow.fuzz.seed", 20261204L);

  private Fuzz() {}

  /** Runs {@code check} on {@link #TRIES} random sources, one per try, of stream {@code stream}. */
  public static void run(int stream, Consumer<Random> check) {
    Random seeds = new Random(SEED * 31 + stream);
    for (int t = 0; t < TRIES; t++) {
      long seed = seeds.nextLong();
      try {
        check.accept(new Random(seed));
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "fuzz stream " + stream + ", seed " + SEED + ", try " + t + ": " + e.getMessage(), e);
      }
    }
  }

  /** A string of up to {@code maxLength} code points from every plane and class that matters. */
  public static String text(Random random, int maxLength) {
    StringBuilder s = new StringBuilder();
    int length = random.nextInt(maxLength + 1);
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(10)) {
        case 0 -> s.append((char) random.nextInt(0x20)); // controls, tab, newline
        case 1 -> s.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogates
        case 2 -> s.appendCodePoint(0x10000 + random.nextInt(0x100000)); // astral planes
        case 3 -> s.appendCodePoint(0x0300 + random.nextInt(0x70)); // combining marks
        case 4 -> s.appendCodePoint(0x4E00 + random.nextInt(0x5200)); // CJK
        case 5 -> s.append(" \u00a0\u2028\u200b\ufeff".charAt(random.nextInt(5)));
        case 6 -> s.append("{}[]:,-#&*!|>'\"%@`?".charAt(random.nextInt(19))); // YAML syntax
        default -> s.append((char) (0x20 + random.nextInt(0x5f))); // printable ASCII
      }
    }
    return s.toString();
  }
}
