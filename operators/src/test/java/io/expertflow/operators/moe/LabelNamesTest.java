package io.expertflow.operators.moe;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LabelNamesTest {

  @Test
  void shouldAcceptAnyOneLineNameOfAnyScriptUpToTheLimit() {
    assertThat(LabelNames.problem("café ☕")).isEmpty();
    assertThat(LabelNames.problem("a,b")).isEmpty();
    assertThat(LabelNames.problem("q\"uote and 'apostrophe'")).isEmpty();
    assertThat(LabelNames.problem("家族 \uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67")).isEmpty();
    assertThat(LabelNames.problem("belles lettres")).isEmpty();
    assertThat(LabelNames.problem("x".repeat(LabelNames.MAX_LENGTH))).isEmpty();
  }

  @Test
  void shouldRefuseWhatALabelsFileOrACorrectionCouldNotHoldSayingWhy() {
    assertThat(LabelNames.problem("")).hasValue("the label is empty");
    assertThat(LabelNames.problem(null)).hasValue("the label is empty");
    assertThat(LabelNames.problem(" \u3000 ")).hasValue("the label is only white space");
    assertThat(LabelNames.problem("line\nbreak"))
        .hasValueSatisfying(p -> assertThat(p).contains("'line\\nbreak'", "U+000A"));
    assertThat(LabelNames.problem("tab\there"))
        .hasValueSatisfying(p -> assertThat(p).contains("'tab\\there'", "U+0009"));
    assertThat(LabelNames.problem("carriage\rreturn")).isPresent();
    assertThat(LabelNames.problem("nul\u0000")).isPresent();
    assertThat(LabelNames.problem("line\u2028separator"))
        .hasValueSatisfying(p -> assertThat(p).contains("U+2028"));
    assertThat(LabelNames.problem("lone \uD83D surrogate"))
        .hasValueSatisfying(p -> assertThat(p).contains("lone surrogate", "\\ud83d"));
    assertThat(LabelNames.problem("spam "))
        .hasValueSatisfying(p -> assertThat(p).contains("'spam '", "white space", "beside 'spam'"));
    assertThat(LabelNames.problem("\u00a0spam")).isEmpty(); // no-break space is not white space
    assertThat(LabelNames.problem("x".repeat(LabelNames.MAX_LENGTH + 1)))
        .hasValueSatisfying(
            p ->
                assertThat(p)
                    .contains(
                        "201 characters", "limit of 200", "starts 'xxxxxxxxxxxxxxxxxxxx'..."));
  }

  @Test
  void shouldEscapeOnlyWhatCannotBePrintedOnOneLine() {
    assertThat(LabelNames.printable("a\nb\tc\\d'e")).isEqualTo("'a\\nb\\tc\\\\d\\'e'");
    assertThat(LabelNames.printable("\u0007\uDC00")).isEqualTo("'\\u0007\\udc00'");
    assertThat(LabelNames.printable("☕ \uD83D\uDE00")).isEqualTo("'☕ \uD83D\uDE00'");
  }
}
