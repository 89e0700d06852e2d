package io.expertflow.memory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Fuses the head's label probabilities with the labels of a document's nearest earlier documents:
 * {@code p = (1 - w) * head + w * knn}.
 *
 * <p>The rule: a neighbour votes when its similarity is at least the floor and it carries a
 * corrected label (or, with {@code predictedLabelsVote}, any label). {@code knn} puts on each label
 * the softmax weight {@code exp((s_i - s_max) / temperature)} of the voters with that label,
 * normalised over the voters. A corrected label the head does not have (a new label a user
 * introduced) votes too: it is appended to the fused labels with probability {@code w * knn}, so a
 * near-duplicate of a document corrected to a new label is answered with it before any weight
 * update learns the label. A predicted label outside the head's (a retired one) does not vote. With
 * no voter the result is exactly the head's probabilities. The nearest neighbour (voting or not) at
 * or above the near-duplicate threshold is reported as a near-duplicate. Immutable and thread-safe.
 */
public final class NeighbourFusion {
  private final List<String> labels;
  private final Map<String, Integer> index = new HashMap<>();
  private final FusionConfig config;

  /**
   * @param labels the head's labels, in the order of its probabilities
   */
  public NeighbourFusion(List<String> labels, FusionConfig config) {
    this.labels = List.copyOf(labels);
    this.config = Objects.requireNonNull(config, "config");
    if (this.labels.isEmpty()) {
      throw new IllegalArgumentException("the fusion needs at least one label");
    }
    for (int i = 0; i < this.labels.size(); i++) {
      if (index.put(this.labels.get(i), i) != null) {
        throw new IllegalArgumentException(
            "label '" + this.labels.get(i) + "' appears twice in " + this.labels);
      }
    }
  }

  public List<String> labels() {
    return labels;
  }

  public FusionConfig config() {
    return config;
  }

  /**
   * Fuses.
   *
   * @param head the head's probabilities, one per label, each in [0, 1]
   * @param neighbours the query's neighbours, any order
   * @throws IllegalArgumentException when {@code head} has the wrong length or a value outside [0,
   *     1] or not a number
   */
  public FusedPrediction fuse(float[] head, List<Neighbour> neighbours) {
    checkHead(head);
    Neighbour nearest = null;
    double best = Double.NEGATIVE_INFINITY;
    for (Neighbour n : neighbours) {
      if (n.similarity() > best) {
        best = n.similarity();
        nearest = n;
      }
    }
    Optional<Neighbour> duplicate =
        nearest != null && nearest.similarity() >= config.nearDuplicateThreshold()
            ? Optional.of(nearest)
            : Optional.empty();
    double bestVoter = Double.NEGATIVE_INFINITY;
    for (Neighbour n : neighbours) {
      if (votes(n)) {
        bestVoter = Math.max(bestVoter, n.similarity());
      }
    }
    List<String> added = new ArrayList<>();
    Map<String, Integer> addedIndex = new HashMap<>();
    for (Neighbour n : neighbours) {
      if (votes(n) && !index.containsKey(n.label()) && !addedIndex.containsKey(n.label())) {
        addedIndex.put(n.label(), labels.size() + added.size());
        added.add(n.label());
      }
    }
    double[] knn = new double[labels.size() + added.size()];
    double total = 0;
    int voters = 0;
    for (Neighbour n : neighbours) {
      if (votes(n)) {
        double weight = Math.exp((n.similarity() - bestVoter) / config.temperature());
        Integer i = index.get(n.label());
        knn[i != null ? i : addedIndex.get(n.label())] += weight;
        total += weight;
        voters++;
      }
    }
    if (voters == 0 || config.weight() == 0) {
      return new FusedPrediction(head, voters, duplicate, labels);
    }
    double w = config.weight();
    float[] fused = new float[knn.length];
    for (int i = 0; i < fused.length; i++) {
      fused[i] = (float) ((1 - w) * (i < head.length ? head[i] : 0) + w * knn[i] / total);
    }
    List<String> fusedLabels = labels;
    if (!added.isEmpty()) {
      fusedLabels = new ArrayList<>(labels);
      fusedLabels.addAll(added);
    }
    return new FusedPrediction(fused, voters, duplicate, fusedLabels);
  }

  private boolean votes(Neighbour n) {
    return n.similarity() >= config.similarityFloor()
        && (n.corrected() || (config.predictedLabelsVote() && index.containsKey(n.label())));
  }

  private void checkHead(float[] head) {
    Objects.requireNonNull(head, "head");
    if (head.length != labels.size()) {
      throw new IllegalArgumentException(
          "the head gave "
              + head.length
              + " probabilities but the fusion has "
              + labels.size()
              + " labels "
              + labels);
    }
    for (int i = 0; i < head.length; i++) {
      if (!(head[i] >= 0 && head[i] <= 1)) {
        throw new IllegalArgumentException(
            "the head's probability of '" + labels.get(i) + "' is " + head[i] + ", not in [0, 1]");
      }
    }
  }
}
