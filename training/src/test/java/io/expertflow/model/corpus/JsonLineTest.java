package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.expertflow.schemas.errors.ErrorText;
import org.junit.jupiter.api.Test;

/** A line of JSON Lines is one object, read as it says or refused in words. */
class JsonLineTest {
  @Test
  void shouldReadOneObject() throws Exception {
    assertThat(JsonLine.parse("{\"text\": \"a\", \"label\": \"b\"}").path("label").asText())
        .isEqualTo("b");
    assertThat(JsonLine.parse("  ")).isNull();
  }

  @Test
  void shouldRefuseWhatWouldOtherwiseBeReadAsSomethingElse() {
    String[][] cases = {
      // the second object was dropped unseen
      {"{\"text\": \"a\"} {\"text\": \"b\"}", "more on the line after its JSON value"},
      // a pretty-printed array's element line was read as the element
      {"  {\"text\": \"a\", \"label\": \"x\"},", "more on the line after its JSON value"},
      {"[", "a JSON array where JSON Lines hold one object per line"},
      {"[{\"text\": \"a\"}]", "a JSON array where JSON Lines hold one object per line"},
      {"{\"label\": \"a\", \"label\": \"b\"}", "a field is given twice in one object"}
    };
    for (String[] c : cases) {
      assertThatThrownBy(() -> JsonLine.parse(c[0]))
          .as(c[0])
          .isInstanceOf(JsonProcessingException.class)
          .satisfies(
              e -> assertThat(ErrorText.of(e)).as(c[0]).startsWith(c[1]).contains("(column"));
    }
  }
}
