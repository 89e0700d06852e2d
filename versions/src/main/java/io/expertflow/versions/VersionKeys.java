package io.expertflow.versions;

/**
 * Record keys of the two compacted topics. Compaction keeps the last record per key, so the keys
 * decide what survives:
 *
 * <ul>
 *   <li>{@code expert-updates}: {@code <expert>@<version>}, one record per expert a version
 *       changed. Every version's tensors survive, so any published version, including an older one
 *       that a rollback serves again, can be rebuilt. (Keying by expert alone would keep only the
 *       newest tensors of each expert and make rollback impossible.)
 *   <li>{@code model-versions}: {@code <model>} holds the version to serve (the last PUBLISHED or
 *       ROLLBACK record); {@code <model>@<version>} holds every version's own record, REJECTED ones
 *       included, as the history. A rejected update is written only under its history key, so it
 *       can never displace the serving version.
 * </ul>
 *
 * Version ids contain neither {@code @} nor spaces; model names must not contain {@code @}.
 * Stateless.
 */
public final class VersionKeys {
  private VersionKeys() {}

  public static String expertUpdate(int expert, String version) {
    return expert + "@" + version;
  }

  public static String serving(String model) {
    check(model);
    return model;
  }

  public static String history(String model, String version) {
    check(model);
    return model + "@" + version;
  }

  /** Whether {@code key} is the serving key of {@code model}. */
  public static boolean isServing(String key, String model) {
    return model.equals(key);
  }

  /** Whether {@code key} is a history key of {@code model}. */
  public static boolean isHistory(String key, String model) {
    return key != null && key.startsWith(model + "@");
  }

  private static void check(String model) {
    if (model.isEmpty() || model.indexOf('@') >= 0) {
      throw new IllegalArgumentException(
          "model name '" + model + "' must be non-empty and must not contain '@'");
    }
  }
}
