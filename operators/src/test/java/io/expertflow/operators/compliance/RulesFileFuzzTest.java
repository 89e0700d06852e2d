package io.expertflow.operators.compliance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.operators.fuzz.Fuzz;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of the compliance rule file, which an operator writes: random text, random YAML made of
 * the format's own keys and values, and a valid file with lines cut, swapped or changed. Each input
 * must end as rules (which then judge a response without failing) or a {@link RulesFileException};
 * nothing else.
 */
class RulesFileFuzzTest {
  private static final String VALID = ComplianceRulesParserTest.RULES;

  private static final String[] KEYS = {
    "default",
    "rules",
    "id",
    "decision",
    "when",
    "status",
    "tenant",
    "top_label",
    "score",
    "label",
    "at_least",
    "below",
    "confidence_below",
    "attributes",
    "channel",
    "other"
  };
  private static final String[] VALUES = {
    "APPROVED",
    "REVIEW",
    "BLOCKED",
    "blocked",
    "OK",
    "FAILED",
    "EXPIRED",
    "spam",
    "0.9",
    "-1",
    "1e308",
    "NaN",
    ".nan",
    "-.inf",
    "null",
    "~",
    "true",
    "[]",
    "{}",
    "[spam, news]",
    "''",
    "0x1F",
    "&a x",
    "*a",
    "!!binary aGVsbG8=",
    "!!python/object:os.system",
    "2026-12-04",
    "|",
    ">"
  };

  @Test
  void shouldParseOrRefuseAnyText() {
    Fuzz.run(1, random -> parseOrRefuse(Fuzz.text(random, 200)));
  }

  @Test
  void shouldParseOrRefuseRandomFilesOfTheFormatsOwnWords() {
    Fuzz.run(2, random -> parseOrRefuse(yaml(random, 0, new StringBuilder()).toString()));
  }

  @Test
  void shouldParseOrRefuseAValidFileWithLinesChanged() {
    Fuzz.run(3, random -> parseOrRefuse(mutate(VALID, random)));
  }

  @Test
  void shouldRefuseAnAliasBombInsteadOfExpandingIt() {
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (int level = 1; level < 12; level++) {
      char name = (char) ('a' + level);
      char previous = (char) ('a' + level - 1);
      bomb.append(name).append(": &").append(name).append(" [");
      bomb.append(("*" + previous + ", ").repeat(8)).append('*').append(previous).append("]\n");
    }

    assertThatThrownBy(() -> ComplianceRulesParser.parse(bomb.toString(), "bomb.yaml"))
        .isInstanceOf(RulesFileException.class)
        .hasMessageStartingWith("bomb.yaml: ");
  }

  private static void parseOrRefuse(String text) {
    ComplianceRules rules;
    try {
      rules = ComplianceRulesParser.parse(text, "fuzz.yaml");
    } catch (RulesFileException e) {
      assertThat(e.getMessage()).startsWith("fuzz.yaml: ");
      return;
    }
    for (InferenceResponse response : RESPONSES) {
      ComplianceVerdict verdict = rules.evaluate(response);
      assertThat(verdict.decision()).isNotNull();
    }
  }

  private static StringBuilder yaml(Random random, int depth, StringBuilder out) {
    String indent = "  ".repeat(depth);
    int entries = 1 + random.nextInt(4);
    for (int i = 0; i < entries; i++) {
      out.append(indent);
      if (random.nextInt(4) == 0) {
        out.append("- ");
      }
      out.append(KEYS[random.nextInt(KEYS.length)]).append(':');
      if (depth < 4 && random.nextInt(3) == 0) {
        out.append('\n');
        yaml(random, depth + 1, out);
      } else {
        out.append(' ').append(VALUES[random.nextInt(VALUES.length)]).append('\n');
      }
    }
    return out;
  }

  private static String mutate(String valid, Random random) {
    List<String> lines = new java.util.ArrayList<>(valid.lines().toList());
    int mutations = 1 + random.nextInt(3);
    for (int m = 0; m < mutations && !lines.isEmpty(); m++) {
      int at = random.nextInt(lines.size());
      switch (random.nextInt(4)) {
        case 0 -> lines.remove(at);
        case 1 -> java.util.Collections.swap(lines, at, random.nextInt(lines.size()));
        case 2 -> {
          String line = lines.get(at);
          int cut = line.indexOf(':');
          lines.set(
              at,
              cut < 0
                  ? line + VALUES[random.nextInt(VALUES.length)]
                  : line.substring(0, cut + 1) + " " + VALUES[random.nextInt(VALUES.length)]);
        }
        default -> lines.set(at, Fuzz.text(random, 20));
      }
    }
    return String.join("\n", lines);
  }

  private static final List<InferenceResponse> RESPONSES =
      List.of(
          Responses.ok("spam", 0.95f).build(),
          Responses.ok("news", Float.NaN).setAttributes(Map.of()).build(),
          Responses.ok("news", 0.5f).setLabels(List.of()).setTenant("").build(),
          Responses.failed(),
          Responses.ok("x", 1f).setStatus(ResponseStatus.EXPIRED).build());
}
