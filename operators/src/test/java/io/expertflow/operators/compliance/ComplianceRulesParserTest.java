package io.expertflow.operators.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.RuleOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ComplianceRulesParserTest {
  /** A rule file using every kind of condition; the fuzz test mutates it too. */
  static final String RULES =
      """
      default: APPROVED
      rules:
        - id: failed-needs-review
          decision: REVIEW
          when:
            status: [FAILED, EXPIRED]
        - id: block-confident-spam
          decision: BLOCKED
          when:
            top_label: [spam]
            score: {label: spam, at_least: 0.9}
        - id: low-confidence
          decision: review
          when:
            confidence_below: 0.6
        - id: secret-email-of-acme
          decision: REVIEW
          when:
            tenant: acme
            attributes: {channel: [email], classification: secret}
      """;

  private final ComplianceRules rules = ComplianceRulesParser.parse(RULES, "rules.yaml");

  @Test
  void shouldApproveByDefaultWhenNoRuleMatches() {
    ComplianceVerdict verdict = rules.evaluate(Responses.ok("news", 0.95f).build());

    assertThat(verdict.decision()).isEqualTo(ComplianceDecision.APPROVED);
    assertThat(verdict.decidingRule()).isEmpty();
    assertThat(verdict.outcomes()).extracting(RuleOutcome::getMatched).containsOnly(false);
  }

  @Test
  void shouldBlockTopLabelAboveItsThreshold() {
    ComplianceVerdict verdict = rules.evaluate(Responses.ok("spam", 0.95f).build());

    assertThat(verdict.decision()).isEqualTo(ComplianceDecision.BLOCKED);
    assertThat(verdict.decidingRule()).contains("block-confident-spam");
  }

  @Test
  void shouldLetTheFirstMatchingRuleWinAndRecordEveryOutcome() {
    // spam at 0.55: the spam threshold fails, low confidence matches
    ComplianceVerdict verdict = rules.evaluate(Responses.ok("spam", 0.55f).build());

    assertThat(verdict.decision()).isEqualTo(ComplianceDecision.REVIEW);
    assertThat(verdict.decidingRule()).contains("low-confidence");
    assertThat(verdict.outcomes())
        .extracting(RuleOutcome::getRuleId, RuleOutcome::getMatched)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("failed-needs-review", false),
            org.assertj.core.groups.Tuple.tuple("block-confident-spam", false),
            org.assertj.core.groups.Tuple.tuple("low-confidence", true),
            org.assertj.core.groups.Tuple.tuple("secret-email-of-acme", false));
  }

  @Test
  void shouldRouteFailedResponsesByStatus() {
    assertThat(rules.evaluate(Responses.failed()).decidingRule()).contains("failed-needs-review");
  }

  @Test
  void shouldMatchTenantAndEveryAttribute() {
    ComplianceVerdict secret =
        rules.evaluate(
            Responses.ok("news", 0.9f)
                .setAttributes(Map.of("channel", "email", "classification", "secret"))
                .build());
    ComplianceVerdict otherTenant =
        rules.evaluate(
            Responses.ok("news", 0.9f)
                .setTenant("globex")
                .setAttributes(Map.of("channel", "email", "classification", "secret"))
                .build());

    assertThat(secret.decidingRule()).contains("secret-email-of-acme");
    assertThat(otherTenant.decision()).isEqualTo(ComplianceDecision.APPROVED);
  }

  @Test
  void shouldUseReviewWhenTheFileSetsNoDefault() {
    ComplianceRules parsed = ComplianceRulesParser.parse("rules: []", "r.yaml");

    assertThat(parsed.defaultDecision()).isEqualTo(ComplianceDecision.REVIEW);
    assertThat(parsed.evaluate(Responses.ok("news", 0.9f).build()).decision())
        .isEqualTo(ComplianceDecision.REVIEW);
  }

  @Test
  void shouldLoadAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("rules.yaml");
    Files.writeString(file, RULES);

    assertThat(ComplianceRulesParser.load(file).rules()).hasSize(4);
  }

  @Test
  void shouldSayInWordsWhyAFileCannotBeRead(@TempDir Path dir) throws Exception {
    Path latin1 = dir.resolve("latin1.yaml");
    Files.write(latin1, "default: APPROVED # caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> ComplianceRulesParser.load(dir.resolve("missing.yaml")))
        .isInstanceOf(RulesFileException.class)
        .hasMessage(
            "no compliance rule file "
                + dir.resolve("missing.yaml")
                + "; check the path (compliance.rules.file, --rules)");
    assertThatThrownBy(() -> ComplianceRulesParser.load(latin1))
        .isInstanceOf(RulesFileException.class)
        .hasMessage("compliance rule file " + latin1 + " is not UTF-8; save it as UTF-8 and retry");
  }

  @Test
  void shouldNameTheRuleAndKeyOfAnUnknownCondition() {
    String yaml =
        """
        rules:
          - id: typo
            decision: BLOCKED
            when: {top_lable: [spam]}
        """;

    assertThatThrownBy(() -> ComplianceRulesParser.parse(yaml, "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageContaining("r.yaml")
        .hasMessageContaining("'typo'")
        .hasMessageContaining("top_lable")
        .hasMessageContaining("top_label");
  }

  @Test
  void shouldRejectAnUnknownDecisionListingTheValidOnes() {
    assertThatThrownBy(
            () -> ComplianceRulesParser.parse("rules: [{id: a, decision: MAYBE}]", "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageContaining("MAYBE")
        .hasMessageContaining("APPROVED");
  }

  @Test
  void shouldRejectDuplicateRuleIds() {
    assertThatThrownBy(
            () ->
                ComplianceRulesParser.parse(
                    "rules: [{id: a, decision: BLOCKED}, {id: a, decision: REVIEW}]", "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageContaining("'a' is used twice");
  }

  @Test
  void shouldRejectThresholdsOutsideTheUnitInterval() {
    assertThatThrownBy(
            () ->
                ComplianceRulesParser.parse(
                    "rules: [{id: a, decision: REVIEW, when: {confidence_below: 60}}]", "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageContaining("confidence_below must lie in [0, 1], was 60.0");
  }

  @Test
  void shouldRejectInvalidYamlSayingWhereInOneLine() {
    assertThatThrownBy(() -> ComplianceRulesParser.parse("default: APPROVED\nrules: [\n", "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageStartingWith("r.yaml: not valid YAML at line 3, column 1: ")
        .hasMessageContaining("expected the node content")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @Test
  void shouldRejectAKeyGivenTwiceRatherThanKeepTheLastOne() {
    // a second 'when' would silently replace the first: BLOCKED for every answer of the tenant
    String twice =
        """
        rules:
          - id: block-spam
            decision: BLOCKED
            when: {top_label: [spam]}
            when: {tenant: [acme]}
        """;

    assertThatThrownBy(() -> ComplianceRulesParser.parse(twice, "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageStartingWith("r.yaml: not valid YAML at line 5, column 5: ")
        .hasMessageContaining("duplicate key when");
  }

  @Test
  void shouldRejectAnUnknownStatus() {
    assertThatThrownBy(
            () ->
                ComplianceRulesParser.parse(
                    "rules: [{id: a, decision: REVIEW, when: {status: DONE}}]", "r.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageContaining("'DONE'")
        .hasMessageContaining("EXPIRED");
  }
}
