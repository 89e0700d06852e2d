package io.expertflow.model.corpus;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One line of a JSON Lines file a user hands the tool ({@code train --data}, {@code submit}, {@code
 * feedback --file}), read strictly: a line that would otherwise be read as something other than it
 * says is refused. A field given twice would be read as its last value, and a second value on the
 * line (two objects, or a pretty-printed array's {@code {...},} line) would be dropped unseen.
 * Stateless and thread-safe.
 */
public final class JsonLine {
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final String ONE_OBJECT_PER_LINE =
      "JSON Lines hold one object per line (a file that is one JSON array converts with"
          + " jq -c \".[]\" FILE)";

  private JsonLine() {}

  /**
   * The one JSON value {@code line} holds, or null for a blank line.
   *
   * @throws JsonProcessingException when the line is not JSON, is an array (or opens one), gives a
   *     field twice in one object, or holds more than one value
   */
  public static JsonNode parse(String line) throws JsonProcessingException {
    try (JsonParser parser = JSON.createParser(line)) {
      if (parser.nextToken() == JsonToken.START_ARRAY) {
        throw new JsonParseException(parser, "a JSON array where " + ONE_OBJECT_PER_LINE);
      }
      JsonNode node = JSON.readTree(parser);
      boolean more;
      try {
        more = parser.nextToken() != null;
      } catch (JsonParseException e) {
        more = true; // a ',' after the value, as in a pretty-printed array
      }
      if (more) {
        throw new JsonParseException(
            parser, "more on the line after its JSON value: " + ONE_OBJECT_PER_LINE);
      }
      return node;
    } catch (JsonProcessingException e) {
      throw e;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a String is never unreadable
    }
  }
}
