package io.expertflow.versions;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What the two compacted topics say about one model: the version to serve, every version's record,
 * and every expert's tensors by version. Fed record by record from {@code model-versions} and
 * {@code expert-updates} (keys as in {@link VersionKeys}); rebuilds any version's weights from the
 * base bundle's.
 *
 * <p>Not thread-safe: one thread (the follower's or the updater's loop) owns it. Holds the raw
 * expert records, about {@code 4 * (M * (H + 1) + L * (M + 1) + H + 1)} bytes each (52 KB with the
 * default sizes).
 */
public final class VersionCatalog {
  private static final Comparator<ModelVersion> OLDEST_FIRST =
      Comparator.comparing(ModelVersion::getCreatedAt).thenComparing(ModelVersion::getVersion);

  private final String model;
  private final Map<String, ExpertWeights> expertUpdates = new HashMap<>();
  private final Map<String, ModelVersion> history = new LinkedHashMap<>();
  private ModelVersion serving;

  public VersionCatalog(String model) {
    this.model = Objects.requireNonNull(model, "model");
  }

  public String model() {
    return model;
  }

  /** One record of {@code expert-updates}; a {@code null} value (tombstone) forgets the key. */
  public void onExpertWeights(String key, ExpertWeights value) {
    if (value == null) {
      expertUpdates.remove(key);
    } else if (model.equals(value.getModelName())) {
      expertUpdates.put(
          VersionKeys.expertUpdate(value.getExpert(), value.getModelVersion()), value);
    }
  }

  /**
   * One record of {@code model-versions}. Records of other models are ignored; a REJECTED record
   * never changes what is served, whatever its key.
   */
  public void onModelVersion(String key, ModelVersion value) {
    if (value == null) {
      if (VersionKeys.isHistory(key, model)) {
        history.remove(key.substring(model.length() + 1));
      }
      return;
    }
    if (!model.equals(value.getModelName())) {
      return;
    }
    if (VersionKeys.isHistory(key, model)) {
      history.put(value.getVersion(), value);
    } else if (VersionKeys.isServing(key, model)
        && value.getState() != ModelVersionState.REJECTED) {
      serving = value;
    }
  }

  /** The version to serve: the last PUBLISHED or ROLLBACK record; empty means the base bundle. */
  public Optional<ModelVersion> serving() {
    return Optional.ofNullable(serving);
  }

  /**
   * Every version's own record, oldest first: by creation time, then by version id. Not in the
   * order read: history keys spread over the topic's partitions, so reading order is not creation
   * order.
   */
  public Collection<ModelVersion> history() {
    return history.values().stream().sorted(OLDEST_FIRST).toList();
  }

  public Optional<ModelVersion> version(String id) {
    return Optional.ofNullable(history.get(id));
  }

  /**
   * The first version made from the base bundle itself: the oldest one whose parent is not in the
   * history, so its parent is the bundle's version. Empty while the history is empty.
   */
  public Optional<ModelVersion> root() {
    for (ModelVersion v : history()) {
      if (v.getParentVersion() != null && !history.containsKey(v.getParentVersion())) {
        return Optional.of(v);
      }
    }
    return Optional.empty();
  }

  private void requireExpertUpdates(ModelVersion version, String suffix) {
    List<String> missing = missingExpertUpdates(version);
    if (!missing.isEmpty()) {
      throw new ExpertWeightsException(
          "version "
              + version.getVersion()
              + " needs expert-updates records "
              + missing
              + " that are not on the topic"
              + suffix);
    }
  }

  /**
   * Decodes every {@code expert-updates} record that {@code version} needs, checking each checksum,
   * without building weights.
   *
   * @throws ExpertWeightsException if a record is missing or corrupt
   */
  public void checkExpertUpdates(ModelVersion version) {
    requireExpertUpdates(version, "");
    for (Map.Entry<String, String> e : version.getExpertVersions().entrySet()) {
      ExpertWeightsCodec.decode(
          expertUpdates.get(VersionKeys.expertUpdate(Integer.parseInt(e.getKey()), e.getValue())));
    }
  }

  /** The history records that learned from the window starting at {@code windowStartMs}. */
  public List<ModelVersion> versionsOfWindow(long windowStartMs) {
    List<ModelVersion> out = new ArrayList<>();
    for (ModelVersion v : history.values()) {
      if (v.getWindowStart() != null && v.getWindowStart() == windowStartMs) {
        out.add(v);
      }
    }
    return out;
  }

  /**
   * The {@code expert-updates} keys that no kept version needs: every key this catalog holds except
   * those named by the serving version and by the newest {@code keep} PUBLISHED versions of the
   * history (creation order). A version outside them can no longer be rolled back to once these are
   * gone ({@link VersionRollback} then refuses it, naming the missing records).
   *
   * @param keep how many of the newest published versions stay restorable; at least 1
   */
  public List<String> unneededExpertUpdates(int keep) {
    if (keep < 1) {
      throw new IllegalArgumentException("keep must be at least 1, was " + keep);
    }
    List<ModelVersion> published =
        history().stream().filter(v -> v.getState() == ModelVersionState.PUBLISHED).toList();
    List<ModelVersion> kept =
        new ArrayList<>(published.subList(Math.max(0, published.size() - keep), published.size()));
    serving().ifPresent(kept::add);
    Set<String> needed = new HashSet<>();
    for (ModelVersion v : kept) {
      v.getExpertVersions()
          .forEach((e, id) -> needed.add(VersionKeys.expertUpdate(Integer.parseInt(e), id)));
    }
    return expertUpdates.keySet().stream().filter(k -> !needed.contains(k)).sorted().toList();
  }

  /** The expert-updates keys that {@code version} needs and this catalog has not seen yet. */
  public List<String> missingExpertUpdates(ModelVersion version) {
    List<String> missing = new ArrayList<>();
    version
        .getExpertVersions()
        .forEach(
            (expert, v) -> {
              String key = VersionKeys.expertUpdate(Integer.parseInt(expert), v);
              if (!expertUpdates.containsKey(key)) {
                missing.add(key);
              }
            });
    return missing;
  }

  /**
   * The weights of {@code version}: a copy of {@code base} with every expert that the version's
   * {@code expert_versions} names replaced by its checked tensors.
   *
   * @throws ExpertWeightsException if a needed record is missing or corrupt
   */
  public MoeHeadWeights weightsOf(ModelVersion version, MoeHeadWeights base) {
    requireExpertUpdates(version, " (yet)");
    List<String> baseLabels = base.config().labels();
    List<String> labels = version.getLabels().isEmpty() ? baseLabels : version.getLabels();
    List<String> added = List.of();
    if (!labels.equals(baseLabels)) {
      // labels learned from feedback come after the bundle's; every expert then has a record
      if (labels.size() <= baseLabels.size()
          || !labels.subList(0, baseLabels.size()).equals(baseLabels)) {
        throw new ExpertWeightsException(
            "version "
                + version.getVersion()
                + " has labels "
                + labels
                + ", which do not extend the bundle's "
                + baseLabels);
      }
      added = labels.subList(baseLabels.size(), labels.size());
      for (int e = 0; e < base.config().experts(); e++) {
        if (!version.getExpertVersions().containsKey(Integer.toString(e))) {
          throw new ExpertWeightsException(
              "version "
                  + version.getVersion()
                  + " adds labels "
                  + added
                  + " but names no tensors for expert "
                  + e);
        }
      }
    }
    // the added rows' bias is overwritten by every expert's record below
    MoeHeadWeights weights = added.isEmpty() ? base.copy() : base.withAddedLabels(added, 0f);
    for (Map.Entry<String, String> e : version.getExpertVersions().entrySet()) {
      int expert = Integer.parseInt(e.getKey());
      ExpertWeights record = expertUpdates.get(VersionKeys.expertUpdate(expert, e.getValue()));
      if (record.getExpert() != expert) {
        throw new ExpertWeightsException(
            "record " + e.getValue() + " holds expert " + record.getExpert() + ", not " + expert);
      }
      try {
        weights.setExpertTensors(expert, ExpertWeightsCodec.decode(record));
      } catch (IllegalArgumentException ex) {
        throw new ExpertWeightsException(
            "expert " + expert + " of version " + e.getValue() + ": " + ex.getMessage());
      }
    }
    return weights;
  }
}
