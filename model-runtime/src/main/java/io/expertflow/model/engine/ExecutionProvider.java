package io.expertflow.model.engine;

import java.util.Arrays;
import java.util.Locale;

/** Where the engine runs its ONNX sessions. */
public enum ExecutionProvider {
  /** ONNX Runtime's CPU provider; always available. */
  CPU,
  /** NVIDIA CUDA; fails with a message naming what is missing when CUDA cannot be loaded. */
  CUDA,
  /** CUDA when it loads, otherwise CPU with one log line that says why. */
  AUTO;

  /** The lower-case name used in configuration ({@code cpu}, {@code cuda}, {@code auto}). */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a configuration value, case-insensitively. */
  public static ExecutionProvider parse(String value) {
    for (ExecutionProvider p : values()) {
      if (p.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "unknown execution provider '"
            + value
            + "': use one of "
            + Arrays.stream(values()).map(ExecutionProvider::id).toList());
  }
}
