package io.expertflow.operators.compliance;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.ResponseStatus;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a compliance rule file (YAML). The format, also described in {@code docs/STREAMS.md}:
 *
 * <pre>{@code
 * default: REVIEW            # APPROVED | REVIEW | BLOCKED; used when no rule matches
 * rules:                     # evaluated in order, the first match decides
 *   - id: block-spam
 *     decision: BLOCKED
 *     when:                  # every key given must hold; no 'when' = always
 *       status: [OK]                       # OK | EXPIRED | FAILED
 *       tenant: [acme, globex]
 *       top_label: [spam]
 *       score: {label: spam, at_least: 0.9, below: 1.0}   # or a list of these
 *       confidence_below: 0.5             # top label score < 0.5
 *       attributes: {channel: [email]}    # attribute present and one of the values
 * }</pre>
 *
 * Stateless; thread-safe.
 */
public final class ComplianceRulesParser {
  private static final Set<String> TOP_KEYS = Set.of("default", "rules");
  private static final Set<String> RULE_KEYS = Set.of("id", "decision", "when");
  private static final Set<String> WHEN_KEYS =
      Set.of("status", "tenant", "top_label", "score", "confidence_below", "attributes");
  private static final Set<String> SCORE_KEYS = Set.of("label", "at_least", "below");

  private ComplianceRulesParser() {}

  /** Reads the rule file at {@code path}. */
  public static ComplianceRules load(Path path) {
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (CharacterCodingException e) {
      throw new RulesFileException(
          "compliance rule file " + path + " is not UTF-8; save it as UTF-8 and retry", e);
    } catch (NoSuchFileException e) {
      throw new RulesFileException(
          "no compliance rule file " + path + "; check the path (compliance.rules.file, --rules)",
          e);
    } catch (IOException e) {
      throw new RulesFileException(
          "cannot read compliance rule file "
              + path
              + ": "
              + (e instanceof AccessDeniedException ? "permission denied" : e.getMessage()),
          e);
    }
    return parse(text, path.toString());
  }

  /**
   * Parses rule-file text.
   *
   * @param source name of the file, used in error messages
   * @throws RulesFileException naming the rule and key that is wrong
   */
  public static ComplianceRules parse(String yaml, String source) {
    Object root;
    LoaderOptions options = new LoaderOptions();
    // a key given twice would replace the first silently: a second 'when' widens a rule
    options.setAllowDuplicateKeys(false);
    try {
      root = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new RulesFileException(source + ": not valid YAML" + where(e), e);
    }
    if (root == null) {
      return ComplianceRules.none(ComplianceRules.DEFAULT_DECISION);
    }
    Map<String, Object> top = map(root, source, "the top level");
    checkKeys(top, TOP_KEYS, source, "the top level");
    ComplianceDecision fallback =
        top.containsKey("default")
            ? decision(top.get("default"), source, "'default'")
            : ComplianceRules.DEFAULT_DECISION;
    List<ComplianceRule> rules = new ArrayList<>();
    Object list = top.get("rules");
    if (list != null) {
      if (!(list instanceof List<?> items)) {
        throw new RulesFileException(source + ": 'rules' must be a list of rules");
      }
      for (int i = 0; i < items.size(); i++) {
        rules.add(rule(items.get(i), source, "rule #" + (i + 1)));
      }
    }
    try {
      return new ComplianceRules(rules, fallback);
    } catch (IllegalArgumentException e) {
      throw new RulesFileException(source + ": " + e.getMessage(), e);
    }
  }

  private static ComplianceRule rule(Object node, String source, String where) {
    Map<String, Object> rule = map(node, source, where);
    if (rule.get("id") != null) {
      where = where + " ('" + rule.get("id") + "')";
    }
    checkKeys(rule, RULE_KEYS, source, where);
    Object id = rule.get("id");
    if (id == null || id.toString().isBlank()) {
      throw new RulesFileException(source + ": " + where + " needs an 'id'");
    }
    if (!rule.containsKey("decision")) {
      throw new RulesFileException(
          source + ": " + where + " needs a 'decision' (" + decisions() + ")");
    }
    ComplianceDecision decision = decision(rule.get("decision"), source, where);
    try {
      RuleCondition condition =
          rule.get("when") == null
              ? RuleCondition.ALWAYS
              : condition(rule.get("when"), source, where);
      return new ComplianceRule(id.toString(), condition, decision);
    } catch (RulesFileException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new RulesFileException(source + ": " + where + ": " + e.getMessage(), e);
    }
  }

  private static RuleCondition condition(Object node, String source, String where) {
    Map<String, Object> when = map(node, source, where + " 'when'");
    checkKeys(when, WHEN_KEYS, source, where + " 'when'");
    Set<ResponseStatus> statuses = new LinkedHashSet<>();
    for (String s : strings(when.get("status"), source, where + " 'status'")) {
      try {
        statuses.add(ResponseStatus.valueOf(s.toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new RulesFileException(
            source
                + ": "
                + where
                + " 'status' has '"
                + s
                + "'; use one of "
                + Arrays.toString(ResponseStatus.values()));
      }
    }
    List<ScoreThreshold> scores = new ArrayList<>();
    Object score = when.get("score");
    for (Object item :
        score instanceof List<?> l ? l : score == null ? List.of() : List.of(score)) {
      Map<String, Object> s = map(item, source, where + " 'score'");
      checkKeys(s, SCORE_KEYS, source, where + " 'score'");
      if (s.get("label") == null) {
        throw new RulesFileException(source + ": " + where + " 'score' needs a 'label'");
      }
      scores.add(
          new ScoreThreshold(
              s.get("label").toString(),
              number(s.get("at_least"), source, where + " 'score.at_least'"),
              number(s.get("below"), source, where + " 'score.below'")));
    }
    Map<String, Set<String>> attributes = new LinkedHashMap<>();
    if (when.get("attributes") != null) {
      map(when.get("attributes"), source, where + " 'attributes'")
          .forEach(
              (k, v) ->
                  attributes.put(
                      k,
                      new LinkedHashSet<>(strings(v, source, where + " attribute '" + k + "'"))));
    }
    return new RuleCondition(
        statuses,
        new LinkedHashSet<>(strings(when.get("tenant"), source, where + " 'tenant'")),
        new LinkedHashSet<>(strings(when.get("top_label"), source, where + " 'top_label'")),
        scores,
        number(when.get("confidence_below"), source, where + " 'confidence_below'"),
        attributes);
  }

  private static ComplianceDecision decision(Object value, String source, String where) {
    try {
      return ComplianceDecision.valueOf(String.valueOf(value).toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new RulesFileException(
          source + ": " + where + " has decision '" + value + "'; use one of " + decisions());
    }
  }

  private static String decisions() {
    return Arrays.toString(ComplianceDecision.values());
  }

  private static Double number(Object value, String source, String where) {
    if (value == null) {
      return null;
    }
    if (value instanceof Number n) {
      return n.doubleValue();
    }
    throw new RulesFileException(
        source + ": " + where + " must be a number in [0, 1], was '" + value + "'");
  }

  /** A scalar or a list of scalars, as strings. */
  private static List<String> strings(Object value, String source, String where) {
    if (value == null) {
      return List.of();
    }
    List<?> items = value instanceof List<?> l ? l : List.of(value);
    List<String> out = new ArrayList<>(items.size());
    for (Object item : items) {
      if (item == null || item instanceof Map || item instanceof List) {
        throw new RulesFileException(
            source + ": " + where + " must be a value or a list of values, had '" + item + "'");
      }
      out.add(item.toString());
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object node, String source, String where) {
    if (!(node instanceof Map<?, ?> m)) {
      throw new RulesFileException(
          source + ": " + where + " must be a mapping (key: value), was '" + node + "'");
    }
    for (Object key : m.keySet()) {
      if (!(key instanceof String)) {
        throw new RulesFileException(source + ": " + where + " has a non-text key '" + key + "'");
      }
    }
    return (Map<String, Object>) m;
  }

  private static void checkKeys(
      Map<String, Object> node, Set<String> allowed, String source, String where) {
    for (String key : node.keySet()) {
      if (!allowed.contains(key)) {
        throw new RulesFileException(
            source
                + ": "
                + where
                + " has unknown key '"
                + key
                + "'; allowed keys are "
                + allowed.stream().sorted().toList());
      }
    }
  }

  /**
   * Where the YAML parser stopped and why, in one line (its own message adds the lines around it);
   * {@code ": message"} where it names no place.
   */
  private static String where(YAMLException e) {
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      Mark at = marked.getProblemMark();
      return String.format(
          Locale.ROOT,
          " at line %d, column %d: %s%s",
          at.getLine() + 1,
          at.getColumn() + 1,
          marked.getProblem(),
          marked.getContext() == null ? "" : " (" + marked.getContext() + ")");
    }
    return ": " + e.getMessage();
  }
}
