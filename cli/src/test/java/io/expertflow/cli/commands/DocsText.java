package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real text with labels for training tests: paragraphs of the project's own documentation, one
 * label per page ({@code model}, {@code feedback}, {@code streams}).
 */
final class DocsText {
  private static final Map<String, String> PAGES =
      Map.of("model", "MODEL.md", "feedback", "FEEDBACK-LOOP.md", "streams", "STREAMS.md");

  private DocsText() {}

  /** Up to {@code perLabel} prose paragraphs of at least 120 characters per label. */
  static Map<String, List<String>> paragraphs(int perLabel) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (Map.Entry<String, String> page : PAGES.entrySet()) {
      String text;
      try {
        text = Files.readString(Path.of("..", "docs", page.getValue()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      List<String> kept = new ArrayList<>();
      for (String p : text.split("\n\n")) {
        String s = p.strip();
        if (s.length() >= 120
            && !s.startsWith("|")
            && !s.startsWith("```")
            && kept.size() < perLabel) {
          kept.add(s);
        }
      }
      out.put(page.getKey(), kept);
    }
    return out;
  }

  /** The paragraphs as JSON Lines ({@code text}, {@code label}). */
  static List<String> jsonLines(Map<String, List<String>> paragraphs) {
    ObjectMapper json = new ObjectMapper();
    List<String> lines = new ArrayList<>();
    paragraphs.forEach(
        (label, texts) ->
            texts.forEach(
                t ->
                    lines.add(
                        json.createObjectNode().put("text", t).put("label", label).toString())));
    return lines;
  }
}
