package io.expertflow.model.engine;

import java.util.Locale;

/** How a sentence encoder's token states become one chunk embedding (then L2-normalised). */
public enum Pooling {
  /** The mean of the real tokens' states (sentence-transformers' default; MiniLM, e5). */
  MEAN,
  /** The state of the first token, {@code [CLS]} (bge). */
  CLS;

  /** {@code mean} or {@code cls}, as manifests and sentence-transformers configs write it. */
  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses {@code mean} or {@code cls} (any case). */
  public static Pooling parse(String value) {
    for (Pooling p : values()) {
      if (p.id().equalsIgnoreCase(value == null ? "" : value.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException("unknown pooling '" + value + "': use mean or cls");
  }
}
