package io.expertflow.worker.pipeline;

import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The head a worker serves now: its session, the version that every response it produces names, the
 * bundle's TF-IDF model served beside it (null for the head alone) and the id of the bundle's
 * encoder ({@code BundleManifest.encoderId()}, null where not known), which responses name beside
 * their embedding. Immutable; a hot reload replaces the whole object between batches, keeping the
 * TF-IDF model and the encoder: they belong to the bundle, which every version of it shares.
 */
public record ServingModel(
    String name, String version, HeadSession head, LexicalModel lexical, String encoderId) {
  public ServingModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(head, "head");
  }

  /** The head alone, without a TF-IDF model, of an encoder not named. */
  public ServingModel(String name, String version, HeadSession head) {
    this(name, version, head, null, null);
  }

  /** The head with a TF-IDF model beside it, of an encoder not named. */
  public ServingModel(String name, String version, HeadSession head, LexicalModel lexical) {
    this(name, version, head, lexical, null);
  }

  /** Another version's head beside the same TF-IDF model and encoder. */
  public ServingModel withHead(String otherVersion, HeadSession otherHead) {
    return new ServingModel(name, otherVersion, otherHead, lexical, encoderId);
  }

  /** What answers beside the head, for the worker's start line; empty for the head alone. */
  public String besideHead() {
    return lexical == null
        ? ""
        : String.format(
            Locale.ROOT,
            " with its TF-IDF model beside the head (weight %.2f, %d buckets)",
            lexical.weight(),
            lexical.features());
  }

  /**
   * The served probabilities over {@link #labels} for a document: the head's {@code p}, with the
   * TF-IDF model's opinion of {@code text} where there is one ({@link LexicalModel#fuse}).
   */
  public float[] answer(float[] p, String text) {
    return answer(p, evidence(text));
  }

  /**
   * What the TF-IDF model adds to the head's log-probabilities for {@code text}, one value per
   * label of {@link #labels} (NaN for a label it does not know, one a weekly update added); empty
   * for the head alone.
   */
  public double[] evidence(String text) {
    return lexical == null ? new double[0] : lexical.evidence(text, labels());
  }

  /** The served probabilities from the head's {@code p} and {@link #evidence}. */
  public float[] answer(float[] p, double[] evidence) {
    return evidence.length == 0 ? p : LexicalModel.fuse(p, evidence);
  }

  public MoeHeadConfig config() {
    return head.config();
  }

  public List<String> labels() {
    return head.config().labels();
  }
}
