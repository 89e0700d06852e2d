package io.expertflow.model.training;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The figures of several {@code expertflow train} runs side by side (read from each run's {@code
 * metrics.json}), each with the runs' mean, standard deviation and range: the held-out figures of
 * the head, the logistic regression, the head's lead over it, the head as served and TF-IDF alone;
 * and where the runs held a label out, the shift update against the retrain. Seeds of one recipe
 * are what it is for; it says which settings other than the seed differ between the runs.
 */
public final class RunComparison {
  // training writes NaN where a figure is undefined (a share of no gain)
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.core.JsonParser.Feature.ALLOW_NON_NUMERIC_NUMBERS);

  /**
   * How a figure is written: an accuracy (0.425), a change in points (+1.2), a share (78 %) or a
   * small share (0.283 %).
   */
  public enum Unit {
    ACCURACY,
    POINTS,
    PERCENT,
    FINE_PERCENT
  }

  /** One run: its name (the folder's) and its metrics. */
  public record Run(String name, JsonNode metrics) {
    /** The training seed, or -1 if the metrics do not say. */
    public long seed() {
      JsonNode s = metrics.at("/setup/optimizer/seed");
      return s.isNumber() ? s.asLong() : -1;
    }

    /**
     * The encoder the embeddings came from: the {@code encoder=} part of {@code
     * setup.embedding_key}, else the key up to its first {@code |}; "?" without a key.
     */
    public String encoder() {
      String key = metrics.at("/setup/embedding_key").asText("");
      int start = key.indexOf("encoder=");
      if (start < 0) {
        int bar = key.indexOf('|');
        return key.isEmpty() ? "?" : bar < 0 ? key : key.substring(0, bar);
      }
      int end = key.indexOf('@', start);
      return key.substring(start + "encoder=".length(), end < 0 ? key.length() : end);
    }
  }

  /**
   * One figure over the runs.
   *
   * @param section what it measures (the held-out test documents, the shift update)
   * @param figure its name
   * @param unit how it is written
   * @param values one per run, NaN where a run lacks it
   */
  public record Row(String section, String figure, Unit unit, double[] values) {
    public Row {
      values = values.clone();
    }

    /** Runs that have the figure. */
    public int count() {
      int n = 0;
      for (double v : values) {
        n += Double.isNaN(v) ? 0 : 1;
      }
      return n;
    }

    public double mean() {
      double sum = 0;
      for (double v : values) {
        sum += Double.isNaN(v) ? 0 : v;
      }
      return count() == 0 ? Double.NaN : sum / count();
    }

    /** The sample standard deviation (n - 1); NaN with fewer than two runs. */
    public double sd() {
      int n = count();
      if (n < 2) {
        return Double.NaN;
      }
      double mean = mean();
      double sq = 0;
      for (double v : values) {
        sq += Double.isNaN(v) ? 0 : (v - mean) * (v - mean);
      }
      return Math.sqrt(sq / (n - 1));
    }

    public double min() {
      double m = Double.NaN;
      for (double v : values) {
        m = Double.isNaN(v) ? m : Double.isNaN(m) ? v : Math.min(m, v);
      }
      return m;
    }

    public double max() {
      double m = Double.NaN;
      for (double v : values) {
        m = Double.isNaN(v) ? m : Double.isNaN(m) ? v : Math.max(m, v);
      }
      return m;
    }
  }

  static final String TEST = "held-out test documents";
  static final String SHIFT = "shift update";

  private final List<Run> runs;
  private final List<Row> rows;

  private RunComparison(List<Run> runs) {
    this.runs = List.copyOf(runs);
    List<Row> out = new ArrayList<>();
    for (RunFigures.Figure f : RunFigures.ALL) {
      double[] values = new double[runs.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = f.of().applyAsDouble(runs.get(i).metrics());
      }
      Row row = new Row(f.section(), f.name(), f.unit(), values);
      if (row.count() > 0) {
        out.add(row);
      }
    }
    this.rows = List.copyOf(out);
  }

  /**
   * Reads the runs: each path a {@code train --out} folder or its {@code metrics.json}.
   *
   * @throws IllegalArgumentException if a path has no metrics or they are not a training run's
   */
  public static RunComparison read(List<Path> paths) throws IOException {
    if (paths.isEmpty()) {
      throw new IllegalArgumentException(
          "no runs to compare: name one or more train --out folders");
    }
    List<Run> runs = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (Path p : paths) {
      Path file = Files.isDirectory(p) ? p.resolve(TrainingPipeline.METRICS_FILE) : p;
      if (!Files.isRegularFile(file)) {
        throw new IllegalArgumentException(
            p
                + ": no "
                + TrainingPipeline.METRICS_FILE
                + " (name the folder an `expertflow train --out` run wrote, or its metrics file)");
      }
      JsonNode metrics;
      try {
        metrics = MAPPER.readTree(file.toFile());
      } catch (IOException e) {
        throw new IllegalArgumentException(file + ": not readable as JSON: " + e.getMessage(), e);
      }
      if (metrics == null || !metrics.path("test").isObject()) {
        throw new IllegalArgumentException(
            file + ": not the metrics of a training run (it has no held-out \"test\" figures)");
      }
      Path named = Files.isDirectory(p) ? p : p.toAbsolutePath().getParent();
      String name =
          named == null || named.getFileName() == null ? p.toString() : "" + named.getFileName();
      runs.add(new Run(name, metrics));
      files.add(file);
    }
    RunComparison comparison = of(runs);
    for (int i = 0; i < runs.size(); i++) {
      int run = i;
      if (comparison.rows.stream().allMatch(r -> Double.isNaN(r.values()[run]))) {
        throw new IllegalArgumentException(
            files.get(i)
                + ": not the metrics of a training run (none of the figures compare reads)");
      }
    }
    return comparison;
  }

  /** Compares runs already read. */
  public static RunComparison of(List<Run> runs) {
    return new RunComparison(runs);
  }

  public List<Run> runs() {
    return runs;
  }

  /** The figures at least one run has, in a fixed order. */
  public List<Row> rows() {
    return rows;
  }

  /** The row of {@code figure} in {@code section}, if any run has it. */
  public Optional<Row> row(String section, String figure) {
    return rows.stream()
        .filter(r -> r.section().equals(section) && r.figure().equals(figure))
        .findFirst();
  }

  /**
   * The settings other than the seed in which the runs differ, as "name: value, value, ..."; empty
   * when they are seeds of one recipe.
   */
  public List<String> differences() {
    List<Map<String, String>> each = runs.stream().map(RunComparison::settings).toList();
    Set<String> keys = new LinkedHashSet<>();
    each.forEach(s -> keys.addAll(s.keySet()));
    Map<String, Set<String>> seen = new LinkedHashMap<>();
    for (String k : keys) {
      for (Map<String, String> s : each) {
        // a run without the setting (no shift update, an older run) differs from one with it
        seen.computeIfAbsent(k, x -> new LinkedHashSet<>()).add(s.getOrDefault(k, "absent"));
      }
    }
    List<String> out = new ArrayList<>();
    seen.forEach(
        (k, values) -> {
          if (values.size() > 1) {
            out.add(k + ": " + String.join(", ", values));
          }
        });
    return out;
  }

  /** The recipe of a run, as training recorded it: what should be equal across seeds. */
  private static Map<String, String> settings(Run r) {
    JsonNode setup = r.metrics().path("setup");
    Map<String, String> s = new LinkedHashMap<>();
    s.put("encoder", r.encoder());
    s.put("documents per label", setup.path("docs_per_label").asText("?"));
    s.put("chunks per document", setup.path("max_chunks_per_doc").asText("?"));
    s.put("guard documents per label", setup.path("guard_per_label").asText("?"));
    s.put(
        "head",
        setup.path("experts").asText("?")
            + " experts, top-"
            + setup.path("top_k").asText("?")
            + ", M = "
            + setup.path("expert_hidden").asText("?"));
    s.put("held-out labels", setup.path("held_out_labels").toString());
    flatten("training.", setup.path("optimizer"), s);
    s.remove("training.seed");
    flatten("update.", r.metrics().at("/shift/update"), s);
    return s;
  }

  /** Adds each leaf of {@code node} under its dotted path: one setting a key. */
  private static void flatten(String prefix, JsonNode node, Map<String, String> into) {
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> flatten(prefix + e.getKey() + ".", e.getValue(), into));
    } else if (!node.isMissingNode()) {
      into.put(
          prefix.substring(0, prefix.length() - 1), node.isTextual() ? node.asText() : "" + node);
    }
  }

  /**
   * The mean gain of the update as a share of the mean gain of the retrain, head alone ({@code
   * served} false) or as served: unlike the mean of the runs' shares, one run far above 100 % does
   * not lift it. NaN without shift runs or with no retrain gain.
   */
  public double shareOfMeanGains(boolean served) {
    String suffix = served ? RunFigures.SERVED_SUFFIX : "";
    String after = RunFigures.NEW_LABEL_AFTER_UPDATE + suffix;
    String retrain = RunFigures.NEW_LABEL_AFTER_RETRAIN + suffix;
    String before = RunFigures.NEW_LABEL_BEFORE + suffix;
    double gain = mean(after) - mean(before);
    double retrainGain = mean(retrain) - mean(before);
    return retrainGain > 0 ? gain / retrainGain : Double.NaN;
  }

  private double mean(String figure) {
    return row(SHIFT, figure).map(Row::mean).orElse(Double.NaN);
  }

  /** The comparison as aligned text. */
  public String text() {
    return RunComparisonText.text(this);
  }

  /** The comparison as Markdown tables, one per section. */
  public String markdown() {
    return RunComparisonText.markdown(this);
  }
}
