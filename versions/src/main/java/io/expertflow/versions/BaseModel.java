package io.expertflow.versions;

import io.expertflow.model.bundle.Checksums;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.Objects;

/**
 * The model bundle that expert updates apply to: its name and version, a checksum that identifies
 * it, and its head weights. Versions record the checksum, and a follower serves a version only on
 * the bundle it was derived from.
 *
 * @param name model name (the key of its serving record)
 * @param version the bundle's own version, the parent of the first update
 * @param sha256 SHA-256 of the bundle's manifest (which lists the SHA-256 of every file)
 * @param weights the bundle's head weights; callers must not mutate them
 * @param encoderId the bundle's encoder ({@code BundleManifest.encoderId()}): an update learns only
 *     from embeddings it made; null where not known (any)
 */
public record BaseModel(
    String name, String version, String sha256, MoeHeadWeights weights, String encoderId) {
  public BaseModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(sha256, "sha256");
    Objects.requireNonNull(weights, "weights");
    VersionKeys.serving(name);
  }

  /** A base model whose encoder is not known. */
  public BaseModel(String name, String version, String sha256, MoeHeadWeights weights) {
    this(name, version, sha256, weights, null);
  }

  /** The base model of a loaded bundle. */
  public static BaseModel of(ModelBundle bundle) {
    return new BaseModel(
        bundle.manifest().name(),
        bundle.manifest().version(),
        Checksums.sha256(bundle.dir().resolve(ModelBundle.MANIFEST_FILE)),
        bundle.readHeadWeights(),
        bundle.manifest().encoderId());
  }
}
