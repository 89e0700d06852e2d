package io.expertflow.operators.compliance;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.RuleOutcome;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * An ordered rule set with a default decision. Every rule is evaluated (so the audit trail shows
 * each outcome); the first matching rule decides. Immutable and thread-safe.
 */
public final class ComplianceRules {
  /** Decision when no rule matches, unless the rule file sets {@code default}. */
  public static final ComplianceDecision DEFAULT_DECISION = ComplianceDecision.REVIEW;

  private final List<ComplianceRule> rules;
  private final ComplianceDecision defaultDecision;

  /**
   * @throws IllegalArgumentException when two rules share an id
   */
  public ComplianceRules(List<ComplianceRule> rules, ComplianceDecision defaultDecision) {
    this.rules = List.copyOf(rules);
    this.defaultDecision = Objects.requireNonNull(defaultDecision, "defaultDecision");
    Set<String> ids = new HashSet<>();
    for (ComplianceRule rule : this.rules) {
      if (!ids.add(rule.id())) {
        throw new IllegalArgumentException(
            "compliance rule id '" + rule.id() + "' is used twice; give each rule its own id");
      }
    }
  }

  /** No rules: every response gets {@code defaultDecision}. */
  public static ComplianceRules none(ComplianceDecision defaultDecision) {
    return new ComplianceRules(List.of(), defaultDecision);
  }

  public List<ComplianceRule> rules() {
    return rules;
  }

  public ComplianceDecision defaultDecision() {
    return defaultDecision;
  }

  /** Evaluates every rule on {@code response}; the first match decides. */
  public ComplianceVerdict evaluate(InferenceResponse response) {
    List<RuleOutcome> outcomes = new ArrayList<>(rules.size());
    ComplianceRule deciding = null;
    for (ComplianceRule rule : rules) {
      boolean matched = rule.condition().matches(response);
      outcomes.add(new RuleOutcome(rule.id(), matched, rule.decision()));
      if (matched && deciding == null) {
        deciding = rule;
      }
    }
    return deciding == null
        ? new ComplianceVerdict(defaultDecision, Optional.empty(), outcomes)
        : new ComplianceVerdict(deciding.decision(), Optional.of(deciding.id()), outcomes);
  }

  @Override
  public String toString() {
    return "ComplianceRules{" + rules.size() + " rules, default=" + defaultDecision + "}";
  }
}
