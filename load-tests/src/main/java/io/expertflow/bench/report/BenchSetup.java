package io.expertflow.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * What a run measured, where and with what: the {@code setup} object of a {@code bench.json} and
 * the load average around the run. Absent entries read as "not recorded".
 */
public final class BenchSetup {
  static final String NOT_RECORDED = "not recorded";
  private final JsonNode setup;
  private final OptionalDouble loadStart;
  private final OptionalDouble loadEnd;

  BenchSetup(JsonNode setup, OptionalDouble loadStart, OptionalDouble loadEnd) {
    this.setup = setup;
    this.loadStart = loadStart;
    this.loadEnd = loadEnd;
  }

  public OptionalInt cores() {
    JsonNode cores = setup.path("machine").path("cores");
    return cores.isInt() && cores.asInt() > 0 ? OptionalInt.of(cores.asInt()) : OptionalInt.empty();
  }

  public String device() {
    return text(setup.path("device"));
  }

  /**
   * Whether the run was on a GPU: only when the device is CUDA ({@code engine.provider=cuda}).
   * "auto" falls back to the CPU when no GPU is there and the file does not say which it got, so it
   * is not counted as one.
   */
  public boolean onGpu() {
    return device().toLowerCase(Locale.ROOT).trim().startsWith("cuda");
  }

  /** One line for under a figure: machine, device, model, commit, size, settings, load, date. */
  public String summary() {
    JsonNode machine = setup.path("machine");
    return String.join(
        " · ",
        text(machine.path("cores")) + " cores",
        text(machine.path("os")),
        "Java " + text(machine.path("java")),
        "heap " + bytes(machine.path("max_heap_bytes")),
        "device " + device(),
        text(setup.path("model")),
        "commit " + shortCommit(),
        text(setup.path("documents"))
            + " documents of at most "
            + text(setup.path("max_chunks"))
            + " chunks × "
            + text(setup.path("rounds"))
            + " rounds",
        "settings " + settings(),
        "load " + load(loadStart) + " → " + load(loadEnd),
        text(setup.path("started_at")));
  }

  /** The setup table's rows, label to value, in a fixed order. */
  public List<Map.Entry<String, String>> rows() {
    JsonNode machine = setup.path("machine");
    List<Map.Entry<String, String>> rows = new ArrayList<>();
    rows.add(Map.entry("started at", text(setup.path("started_at"))));
    rows.add(Map.entry("commit", text(setup.path("commit"))));
    rows.add(Map.entry("cores", text(machine.path("cores"))));
    rows.add(Map.entry("operating system", text(machine.path("os"))));
    rows.add(Map.entry("Java", text(machine.path("java"))));
    rows.add(Map.entry("maximum heap", bytes(machine.path("max_heap_bytes"))));
    rows.add(Map.entry("device", device()));
    rows.add(Map.entry("model", text(setup.path("model"))));
    rows.add(Map.entry("documents per timed phase", text(setup.path("documents"))));
    rows.add(Map.entry("chunks per document, at most", text(setup.path("max_chunks"))));
    rows.add(Map.entry("rounds", text(setup.path("rounds"))));
    rows.add(Map.entry("worker settings", settings()));
    rows.add(Map.entry("corpora", text(setup.path("corpora"))));
    rows.add(
        Map.entry("load average (1 min) at start / end", load(loadStart) + " / " + load(loadEnd)));
    return rows;
  }

  private String settings() {
    JsonNode settings = setup.path("worker_settings");
    if (!settings.isObject() || settings.isEmpty()) {
      return "defaults";
    }
    List<String> pairs = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : settings.properties()) {
      pairs.add(e.getKey() + "=" + e.getValue().asText());
    }
    return String.join(", ", pairs);
  }

  private String shortCommit() {
    String commit = text(setup.path("commit"));
    return commit.matches("[0-9a-f]{12,40}") ? commit.substring(0, 12) : commit;
  }

  private static String load(OptionalDouble load) {
    return load.isPresent() ? String.format(Locale.ROOT, "%.1f", load.getAsDouble()) : NOT_RECORDED;
  }

  private static String bytes(JsonNode node) {
    if (!node.isNumber() || node.asDouble() <= 0) {
      return NOT_RECORDED;
    }
    return Html.bytes(node.asDouble());
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() || node.asText().isBlank()
        ? NOT_RECORDED
        : node.asText();
  }
}
