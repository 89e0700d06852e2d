package io.expertflow.operators.compliance;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.RuleOutcome;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The result of evaluating the rules on one response.
 *
 * @param decision the decision of the first matching rule, or the default decision
 * @param decidingRule id of the first matching rule; empty when the default applied
 * @param outcomes every rule in file order, with whether it matched
 */
public record ComplianceVerdict(
    ComplianceDecision decision, Optional<String> decidingRule, List<RuleOutcome> outcomes) {

  public ComplianceVerdict {
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(decidingRule, "decidingRule");
    outcomes = List.copyOf(outcomes);
  }
}
