package io.expertflow.schemas.settings;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The settings of one app: its keys in documentation order, and the prefixes whose keys pass
 * through unchecked to a library (e.g. {@code kafka.} to the Kafka clients). Immutable.
 */
public final class SettingTable {
  private final String app;
  private final Map<String, SettingKey<?>> keys;
  private final List<String> passThroughPrefixes;

  private SettingTable(String app, List<SettingKey<?>> keys, List<String> passThroughPrefixes) {
    this.app = app;
    Map<String, SettingKey<?>> byName = new LinkedHashMap<>();
    for (SettingKey<?> k : keys) {
      if (byName.put(k.name(), k) != null) {
        throw new IllegalArgumentException(app + " defines setting " + k.name() + " twice");
      }
    }
    this.keys = Collections.unmodifiableMap(byName);
    this.passThroughPrefixes = List.copyOf(passThroughPrefixes);
  }

  public static SettingTable of(String app, List<SettingKey<?>> keys, String... passThrough) {
    return new SettingTable(app, keys, List.of(passThrough));
  }

  /** The app these settings belong to ("worker", "updater", "streams"). */
  public String app() {
    return app;
  }

  /** Every key, in documentation order. */
  public List<SettingKey<?>> keys() {
    return List.copyOf(keys.values());
  }

  public List<String> passThroughPrefixes() {
    return passThroughPrefixes;
  }

  public Optional<SettingKey<?>> key(String name) {
    return Optional.ofNullable(keys.get(name));
  }

  public boolean passesThrough(String name) {
    return passThroughPrefixes.stream().anyMatch(name::startsWith);
  }

  /**
   * Checks that {@code name} is a key of this table or passes through.
   *
   * @throws IllegalArgumentException naming the key, the app and the closest known key
   */
  public void requireKnown(String name, String source) {
    if (keys.containsKey(name) || passesThrough(name)) {
      return;
    }
    String hint =
        closest(name).map(k -> "; did you mean " + k + "?").orElse("; see docs/CONFIGURATION.md");
    throw new IllegalArgumentException(
        "unknown " + app + " setting '" + name + "' (from " + source + ")" + hint);
  }

  /** The known key nearest to {@code name} by edit distance, if any is reasonably near. */
  Optional<String> closest(String name) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String k : keys.keySet()) {
      int d = distance(name, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best != null && bestDistance <= Math.max(3, name.length() / 2)
        ? Optional.of(best)
        : Optional.empty();
  }

  /** A new table: these keys followed by {@code more}'s, with both tables' prefixes. */
  public SettingTable plus(SettingTable more) {
    List<SettingKey<?>> all = new ArrayList<>(keys.values());
    all.addAll(more.keys.values());
    List<String> prefixes = new ArrayList<>(passThroughPrefixes);
    more.passThroughPrefixes.stream().filter(p -> !prefixes.contains(p)).forEach(prefixes::add);
    return new SettingTable(app, all, prefixes);
  }

  private static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
