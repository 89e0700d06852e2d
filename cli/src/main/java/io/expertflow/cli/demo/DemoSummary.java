package io.expertflow.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.expertflow.avro.ModelVersionState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo's figures, as printed and as written to {@code --summary-json}. Counts cover every
 * request of the run (bulk, week and after the update); accuracy, latency and throughput are those
 * of the bulk phase, {@code accuracy_after_update} that of the same documents sent again.
 */
public record DemoSummary(
    long submitted,
    long responses,
    long deadLetters,
    long lost,
    long duplicates,
    long feedbackDeadLetters,
    Double accuracy,
    Double accuracyAfterUpdate,
    String newLabel,
    Double newLabelAccuracy,
    Double newLabelAccuracyAfterUpdate,
    Double guardAccuracy,
    Double guardAccuracyAfterUpdate,
    double p50Ms,
    double p99Ms,
    double docsPerS,
    double meanBatchSize,
    String device,
    String modelVersionBefore,
    String modelVersionAfter,
    String updateVerdict,
    String updateReason,
    List<String> addedLabels,
    int expertsChanged,
    Double parametersChangedShare,
    long feedbackEvents,
    double seconds) {

  /** The summary of a run's phases; {@code week}, {@code update} and {@code after} may be null. */
  public static DemoSummary of(
      PhaseResult bulk,
      WeekResult week,
      UpdateOutcome update,
      PhaseResult after,
      long duplicates,
      long feedbackDeadLetters,
      String newLabel,
      double meanBatchSize,
      String device,
      String modelVersionBefore,
      double seconds) {
    List<PhaseResult> all = new ArrayList<>();
    all.add(bulk);
    if (week != null) {
      all.add(week.traffic());
    }
    if (after != null) {
      all.add(after);
    }
    String versionAfter = null;
    if (after != null && !after.versions().isEmpty()) {
      versionAfter =
          after.versions().entrySet().stream()
              .max(java.util.Map.Entry.comparingByValue())
              .orElseThrow()
              .getKey();
    }
    return new DemoSummary(
        all.stream().mapToLong(PhaseResult::submitted).sum(),
        all.stream().mapToLong(PhaseResult::responses).sum(),
        all.stream().mapToLong(PhaseResult::deadLetters).sum(),
        all.stream().mapToLong(PhaseResult::lost).sum(),
        duplicates,
        feedbackDeadLetters,
        bulk.accuracy(),
        after == null ? null : after.accuracy(),
        newLabel,
        bulk.newLabelAccuracy(),
        after == null ? null : after.newLabelAccuracy(),
        update == null ? null : update.metric("guard_accuracy", false),
        update == null ? null : update.metric("guard_accuracy", true),
        bulk.p50Ms(),
        bulk.p99Ms(),
        bulk.docsPerS(),
        meanBatchSize,
        device,
        modelVersionBefore,
        versionAfter,
        update == null ? null : update.record().getState().toString(),
        update == null ? null : update.record().getReason(),
        addedLabels(update),
        update == null ? 0 : update.record().getChangedExperts().size(),
        update == null ? null : update.changedShare(),
        week == null ? 0 : week.feedbackEvents(),
        seconds);
  }

  /** The labels a published update added to the served label set (none if it was rejected). */
  private static List<String> addedLabels(UpdateOutcome update) {
    if (update == null || update.record().getState() != ModelVersionState.PUBLISHED) {
      return List.of();
    }
    return update.record().getAddedLabels().stream().map(CharSequence::toString).toList();
  }

  /** Whether the week's update was published (false if it was rejected or did not run). */
  public boolean updatePublished() {
    return ModelVersionState.PUBLISHED.name().equals(updateVerdict);
  }

  /** Whether the week's update was rejected (false if it was published or did not run). */
  public boolean updateRejected() {
    return ModelVersionState.REJECTED.name().equals(updateVerdict);
  }

  /** Whether the run kept its guarantees: nothing lost, nothing answered twice. */
  public boolean exactlyOnce() {
    return lost == 0 && duplicates == 0;
  }

  public ObjectNode toJson() {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("submitted", submitted);
    o.put("responses", responses);
    o.put("dead_letters", deadLetters);
    o.put("lost", lost);
    o.put("duplicates", duplicates);
    o.put("feedback_dead_letters", feedbackDeadLetters);
    put(o, "accuracy", accuracy);
    put(o, "accuracy_after_update", accuracyAfterUpdate);
    o.put("new_label", newLabel);
    put(o, "new_label_accuracy", newLabelAccuracy);
    put(o, "new_label_accuracy_after_update", newLabelAccuracyAfterUpdate);
    put(o, "guard_accuracy", guardAccuracy);
    put(o, "guard_accuracy_after_update", guardAccuracyAfterUpdate);
    o.put("p50_ms", p50Ms);
    o.put("p99_ms", p99Ms);
    o.put("docs_per_s", docsPerS);
    o.put("mean_batch_size", meanBatchSize);
    o.put("device", device);
    o.put("model_version_before", modelVersionBefore);
    o.put("model_version_after", modelVersionAfter);
    o.put("update_verdict", updateVerdict);
    o.put("update_reason", updateReason);
    addedLabels.forEach(o.putArray("added_labels")::add);
    o.put("experts_changed", expertsChanged);
    put(o, "parameters_changed_share", parametersChangedShare);
    o.put("feedback_events", feedbackEvents);
    o.put("seconds", seconds);
    return o;
  }

  public void write(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
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
    if (newLabel != null && newLabelAccuracy != null) {
      row(
          b,
          "'" + newLabel + "' documents",
          pct(newLabelAccuracy)
              + (newLabelAccuracyAfterUpdate == null
                  ? ""
                  : " -> " + pct(newLabelAccuracyAfterUpdate))
              + (addedLabels.contains(newLabel)
                  ? "  (a label the model lacked: the update added it)"
                  : "  (a label the model lacks: no update added it)"));
    }
    if (guardAccuracy != null && guardAccuracyAfterUpdate != null) {
      row(b, "guard set", pct(guardAccuracy) + " -> " + pct(guardAccuracyAfterUpdate));
    }
    if (updateVerdict != null) {
      row(
          b,
          "update",
          String.format(
              Locale.ROOT,
              "%s: %d experts, %.3f %% of expert parameters, from %d feedback events",
              updateVerdict,
              expertsChanged,
              parametersChangedShare == null ? 0 : 100 * parametersChangedShare,
              feedbackEvents));
    }
    row(b, "throughput", String.format(Locale.ROOT, "%.1f documents/s", docsPerS));
    row(b, "latency p50 / p99", String.format(Locale.ROOT, "%.0f ms / %.0f ms", p50Ms, p99Ms));
    row(b, "mean encoder batch", String.format(Locale.ROOT, "%.1f chunks", meanBatchSize));
    row(b, "device", device);
    row(
        b,
        "model version",
        modelVersionBefore + (modelVersionAfter == null ? "" : " -> " + modelVersionAfter));
    row(b, "wall time", String.format(Locale.ROOT, "%.1f s", seconds));
    return b.toString();
  }

  private static void row(StringBuilder b, String k, String v) {
    b.append(String.format(Locale.ROOT, "  %-22s %s%n", k, v));
  }

  static String pct(double v) {
    return String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }

  private static void put(ObjectNode o, String k, Double v) {
    if (v == null) {
      o.putNull(k);
    } else {
      o.put(k, v);
    }
  }
}
