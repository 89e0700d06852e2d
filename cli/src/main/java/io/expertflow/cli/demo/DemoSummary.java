package io.expertflow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The demo's figures, as printed and as written to {@code --summary-json}. */
public record DemoSummary(
    long submitted,
    long responses,
    long deadLetters,
    long lost,
    long duplicates,
    Double accuracy,
    Double accuracyAfterUpdate,
    double p50Ms,
    double p99Ms,
    double docsPerS,
    double meanBatchSize,
    String device,
    String modelVersionBefore,
    String modelVersionAfter,
    double seconds) {

  public ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("submitted", submitted);
    o.put("responses", responses);
    o.put("dead_letters", deadLetters);
    o.put("lost", lost);
    o.put("duplicates", duplicates);
    putNullable(o, "accuracy", accuracy);
    putNullable(o, "accuracy_after_update", accuracyAfterUpdate);
    o.put("p50_ms", p50Ms);
    o.put("p99_ms", p99Ms);
    o.put("docs_per_s", docsPerS);
    o.put("mean_batch_size", meanBatchSize);
    o.put("device", device);
    o.put("model_version_before", modelVersionBefore);
    if (modelVersionAfter == null) {
      o.putNull("model_version_after");
    } else {
      o.put("model_version_after", modelVersionAfter);
    }
    o.put("seconds", seconds);
    return o;
  }

  public void write(Path file) throws IOException {
    if (file.toAbsolutePath().getParent() != null) {
      Files.createDirectories(file.toAbsolutePath().getParent());
    }
    Files.writeString(
        file, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson()));
  }

  /** A readable table. */
  public String table() {
    StringBuilder b = new StringBuilder();
    row(b, "documents submitted", Long.toString(submitted));
    row(b, "responses", Long.toString(responses));
    row(b, "dead letters", Long.toString(deadLetters));
    row(b, "lost", Long.toString(lost));
    row(b, "duplicates", Long.toString(duplicates));
    row(b, "accuracy", accuracy == null ? "n/a (documents without labels)" : pct(accuracy));
    if (accuracyAfterUpdate != null) {
      row(b, "accuracy after update", pct(accuracyAfterUpdate));
    }
    row(b, "throughput", String.format("%.1f documents/s", docsPerS));
    row(b, "latency p50 / p99", String.format("%.0f ms / %.0f ms", p50Ms, p99Ms));
    row(b, "mean encoder batch", String.format("%.1f chunks", meanBatchSize));
    row(b, "device", device);
    row(
        b,
        "model version",
        modelVersionBefore + (modelVersionAfter == null ? "" : " -> " + modelVersionAfter));
    row(b, "wall time", String.format("%.1f s", seconds));
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append(String.format("  %-22s %s%n", k, v));
  }

  private static String pct(double v) {
    return String.format("%.1f %%", 100 * v);
  }

  private static void putNullable(ObjectNode o, String k, Double v) {
    if (v == null) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }
}
