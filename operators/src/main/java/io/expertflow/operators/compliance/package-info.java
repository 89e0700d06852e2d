/**
 * Compliance rules for inference responses, as plain Java: a rule file ({@link
 * io.expertflow.operators.compliance.ComplianceRulesParser}, YAML) becomes an ordered list of
 * {@link io.expertflow.operators.compliance.ComplianceRule}s; {@link
 * io.expertflow.operators.compliance.ComplianceRules#evaluate} gives each response a {@link
 * io.expertflow.operators.compliance.ComplianceVerdict} (first matching rule wins, else the default
 * decision). {@link io.expertflow.operators.compliance.OutputDigest} computes the audit hash of a
 * response's output. Nothing here reads or keeps document text.
 */
package io.expertflow.operators.compliance;
