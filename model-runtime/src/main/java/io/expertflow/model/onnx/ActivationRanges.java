package io.expertflow.model.onnx;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The calibrated value range of every activation that a dynamically quantized model quantizes, and
 * the SHA-256 of the model they were measured on. Immutable.
 *
 * <p>Text form, one entry a line, {@code #} starts a comment line:
 *
 * <pre>
 * source-sha256 &lt;hex&gt;
 * &lt;tensor name&gt; TAB &lt;min&gt; TAB &lt;max&gt;
 * </pre>
 *
 * Floats are written with {@link Float#toString}, which reads back to the same bits.
 *
 * @param sourceSha256 the SHA-256 of the model the ranges belong to
 * @param ranges per quantized tensor (the input of its {@code DynamicQuantizeLinear}), its range
 */
public record ActivationRanges(String sourceSha256, Map<String, Range> ranges) {
  /** A closed interval of observed values. */
  public record Range(float min, float max) {
    public Range {
      if (!(min <= max) || !Float.isFinite(min) || !Float.isFinite(max)) {
        throw new IllegalArgumentException("bad range [" + min + ", " + max + "]");
      }
    }
  }

  public ActivationRanges {
    if (sourceSha256 == null || !sourceSha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("source-sha256 must be 64 hex digits: " + sourceSha256);
    }
    ranges = Collections.unmodifiableMap(new LinkedHashMap<>(ranges));
  }

  /** Reads the text form. */
  public static ActivationRanges parse(String text) {
    String sha = null;
    Map<String, Range> ranges = new LinkedHashMap<>();
    try (BufferedReader in = new BufferedReader(new StringReader(text))) {
      int number = 0;
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        number++;
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("source-sha256 ")) {
          sha = line.substring("source-sha256 ".length()).trim();
          continue;
        }
        String[] fields = line.split("\t");
        if (fields.length != 3) {
          throw new IllegalArgumentException(
              "line " + number + " of the activation ranges is not 'name TAB min TAB max'");
        }
        Range previous =
            ranges.put(
                fields[0],
                new Range(Float.parseFloat(fields[1].trim()), Float.parseFloat(fields[2].trim())));
        if (previous != null) {
          throw new IllegalArgumentException(
              "line " + number + " repeats the activation " + fields[0]);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ActivationRanges(sha, ranges);
  }

  /** The text form, with {@code comments} as leading comment lines. */
  public String format(List<String> comments) {
    List<String> lines = new ArrayList<>();
    comments.forEach(c -> lines.add("# " + c));
    lines.add("source-sha256 " + sourceSha256);
    ranges.forEach((name, r) -> lines.add(name + "\t" + r.min() + "\t" + r.max()));
    return String.join("\n", lines) + "\n";
  }
}
