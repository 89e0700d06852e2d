package io.expertflow.operators.compliance;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The condition of one rule: every criterion that is set must hold (logical AND); a condition with
 * no criteria holds for every response (a catch-all rule). Immutable.
 *
 * @param statuses the response status is one of these (empty: any)
 * @param tenants the tenant is one of these (empty: any)
 * @param topLabels the top (best) label is one of these (empty: any); a response without labels
 *     never matches a non-empty set
 * @param scores every threshold holds
 * @param confidenceBelow the top label's score is below this (a response without labels has
 *     confidence 0), or {@code null}
 * @param attributes for each key, the response's attribute is present and one of the values
 */
public record RuleCondition(
    Set<ResponseStatus> statuses,
    Set<String> tenants,
    Set<String> topLabels,
    List<ScoreThreshold> scores,
    Double confidenceBelow,
    Map<String, Set<String>> attributes) {

  /** The condition that always holds. */
  public static final RuleCondition ALWAYS =
      new RuleCondition(Set.of(), Set.of(), Set.of(), List.of(), null, Map.of());

  public RuleCondition {
    statuses = Set.copyOf(Objects.requireNonNull(statuses, "statuses"));
    tenants = Set.copyOf(Objects.requireNonNull(tenants, "tenants"));
    topLabels = Set.copyOf(Objects.requireNonNull(topLabels, "topLabels"));
    scores = List.copyOf(Objects.requireNonNull(scores, "scores"));
    attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    if (confidenceBelow != null && !(confidenceBelow >= 0.0 && confidenceBelow <= 1.0)) {
      throw new IllegalArgumentException(
          "confidence_below must lie in [0, 1], was " + confidenceBelow);
    }
  }

  /** Whether every criterion holds for {@code response}. */
  public boolean matches(InferenceResponse response) {
    if (!statuses.isEmpty() && !statuses.contains(response.getStatus())) {
      return false;
    }
    if (!tenants.isEmpty() && !tenants.contains(response.getTenant().toString())) {
      return false;
    }
    boolean hasLabels = !response.getLabels().isEmpty();
    if (!topLabels.isEmpty()
        && !(hasLabels && topLabels.contains(response.getLabels().get(0).getLabel().toString()))) {
      return false;
    }
    for (ScoreThreshold threshold : scores) {
      if (!threshold.holds(response)) {
        return false;
      }
    }
    if (confidenceBelow != null) {
      double confidence = hasLabels ? response.getLabels().get(0).getScore() : 0.0;
      if (!(confidence < confidenceBelow)) {
        return false;
      }
    }
    return attributesMatch(response.getAttributes());
  }

  private boolean attributesMatch(Map<? extends CharSequence, ? extends CharSequence> actual) {
    for (Map.Entry<String, Set<String>> wanted : attributes.entrySet()) {
      String value = null;
      for (Map.Entry<? extends CharSequence, ? extends CharSequence> e : actual.entrySet()) {
        if (wanted.getKey().contentEquals(e.getKey())) {
          value = e.getValue().toString();
          break;
        }
      }
      if (value == null || !wanted.getValue().contains(value)) {
        return false;
      }
    }
    return true;
  }
}
