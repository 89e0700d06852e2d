package io.expertflow.operators.compliance;

import io.expertflow.avro.ComplianceDecision;
import java.util.Objects;

/**
 * One named rule: when {@code condition} holds, the response gets {@code decision}.
 *
 * @param id unique id within the rule file, named in audit records
 * @param condition what must hold
 * @param decision where a matching response goes
 */
public record ComplianceRule(String id, RuleCondition condition, ComplianceDecision decision) {

  public ComplianceRule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(condition, "condition");
    Objects.requireNonNull(decision, "decision");
    if (id.isBlank()) {
      throw new IllegalArgumentException("a compliance rule needs a non-blank id");
    }
  }
}
