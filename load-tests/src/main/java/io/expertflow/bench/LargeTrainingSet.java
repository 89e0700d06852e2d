package io.expertflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Writes a large labelled training set of real sentences for the scale run of {@code expertflow
 * train}: each output document is a run of consecutive sentences of one input document (its label
 * kept), starting at a random sentence and about {@code bytes} long (80 to 120 %), every text
 * distinct. The input is a JSON Lines file with {@code text} and {@code label}, for example {@code
 * expertflow corpus export brown --out brown.jsonl}.
 *
 * <p>The documents overlap (a 6 MB corpus makes 200 MB of windows), so a model trained on them says
 * nothing about accuracy: the set measures time and memory at scale, nothing else.
 *
 * <pre>
 * java -cp ... io.expertflow.bench.LargeTrainingSet IN.jsonl COUNT BYTES OUT.jsonl [SEED]
 * </pre>
 */
public final class LargeTrainingSet {
  private LargeTrainingSet() {}

  /** One input document cut into sentences. */
  private record Source(String id, String label, List<String> sentences) {}

  public static void main(String[] args) throws IOException {
    if (args.length < 4) {
      System.err.println("usage: LargeTrainingSet IN.jsonl COUNT BYTES OUT.jsonl [SEED]");
      System.exit(2);
    }
    Path in = Path.of(args[0]);
    int count = Integer.parseInt(args[1]);
    int bytes = Integer.parseInt(args[2]);
    Path out = Path.of(args[3]);
    long seed = args.length > 4 ? Long.parseLong(args[4]) : 42;
    List<Source> sources = read(in);
    long written = write(sources, count, bytes, out, new Random(seed));
    System.out.printf(
        Locale.ROOT,
        "%d documents, %.1f MB of text, from %d documents of %s, written to %s%n",
        count,
        written / 1e6,
        sources.size(),
        in,
        out);
  }

  private static List<Source> read(Path in) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Source> sources = new ArrayList<>();
    try (BufferedReader reader = Files.newBufferedReader(in, StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode node = json.readTree(line);
        List<String> sentences = sentences(node.path("text").asText());
        if (sentences.size() >= 4) {
          sources.add(
              new Source(node.path("id").asText(""), node.path("label").asText(), sentences));
        }
      }
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException(in + " holds no document of at least four sentences");
    }
    return sources;
  }

  /** Splits at ". ", "? " and "! " followed by an upper-case letter or a quote. */
  static List<String> sentences(String text) {
    List<String> sentences = new ArrayList<>();
    int start = 0;
    for (int i = 1; i + 1 < text.length(); i++) {
      char c = text.charAt(i - 1);
      if ((c == '.' || c == '?' || c == '!') && text.charAt(i) == ' ') {
        char next = text.charAt(i + 1);
        if (Character.isUpperCase(next) || next == '"') {
          sentences.add(text.substring(start, i));
          start = i + 1;
        }
      }
    }
    sentences.add(text.substring(start));
    return sentences;
  }

  private static long write(List<Source> sources, int count, int bytes, Path out, Random random)
      throws IOException {
    long totalChars = 0;
    long[] cumulative = new long[sources.size()];
    for (int i = 0; i < sources.size(); i++) {
      totalChars += sources.get(i).sentences().stream().mapToLong(String::length).sum();
      cumulative[i] = totalChars;
    }
    ObjectMapper json = new ObjectMapper();
    Set<String> seen = new HashSet<>();
    long written = 0;
    int attempts = 0;
    try (BufferedWriter writer = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
      for (int n = 0; n < count; attempts++) {
        if (attempts > 20L * count) {
          throw new IllegalStateException(
              "only " + n + " distinct documents of about " + bytes + " bytes could be cut");
        }
        // sources weighted by their text, so every sentence is about as likely a start
        long pick = (long) (random.nextDouble() * totalChars);
        int s = 0;
        while (cumulative[s] <= pick) {
          s++;
        }
        Source source = sources.get(s);
        int target = (int) (bytes * (0.8 + 0.4 * random.nextDouble()));
        StringBuilder text = new StringBuilder();
        int first = random.nextInt(source.sentences().size());
        for (int i = first; i < source.sentences().size() && text.length() < target; i++) {
          if (text.length() > 0) {
            text.append(' ');
          }
          text.append(source.sentences().get(i));
        }
        if (text.length() < target / 2 || !seen.add(text.toString())) {
          continue; // too close to the end of its source, or a text already written
        }
        Map<String, String> record = new LinkedHashMap<>();
        record.put("id", String.format(Locale.ROOT, "%s/%06d", source.id(), n));
        record.put("label", source.label());
        record.put("text", text.toString());
        writer.write(json.writeValueAsString(record));
        writer.newLine();
        written += text.length();
        n++;
      }
    }
    return written;
  }
}
