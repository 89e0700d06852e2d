package io.expertflow.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Job figures (the job API's JSON) as text for a person: a block, a table row, a progress bar. */
public final class JobText {
  private static final int BAR = 30;

  private JobText() {}

  /**
   * Documents the job waits for: {@code override} when positive ({@code job wait --expect}), else
   * what the submitter counted or, if more, what was submitted.
   */
  public static long expected(JsonNode job, long override) {
    if (override > 0) {
      return override;
    }
    return Math.max(job.path("expected").asLong(0), job.path("submitted").asLong(0));
  }

  /** Requests with an outcome (answered or dead-lettered). */
  public static long done(JsonNode job) {
    return job.path("answered").asLong(0) + job.path("deadLettered").asLong(0);
  }

  /** Whether every document of the job has its outcome. */
  public static boolean finished(JsonNode job, long override) {
    long expected = expected(job, override);
    return expected > 0
        && job.path("submitted").asLong(0) >= expected
        && done(job) >= job.path("submitted").asLong(0);
  }

  /** A readable block of one job. */
  public static String block(JsonNode job) {
    StringBuilder b = new StringBuilder();
    b.append(job.path("jobId").asText()).append('\n');
    line(b, "tenant", job.path("tenant").asText(""));
    line(b, "documents", count(job.path("expected").asLong(0)));
    line(b, "submitted", count(job.path("submitted").asLong(0)));
    line(
        b,
        "answered",
        count(job.path("answered").asLong(0))
            + " (expired "
            + count(job.path("expired").asLong(0))
            + ", failed "
            + count(job.path("failed").asLong(0))
            + ")");
    line(
        b,
        "dead letters",
        count(job.path("deadLettered").asLong(0)) + tally(job.path("deadLetterReasons")));
    line(b, "decisions", byCount(job.path("decisions")));
    line(b, "labels", byCount(job.path("labels")));
    line(b, "started", time(job.path("firstSubmittedAt")));
    line(b, "last answer", time(job.path("lastAnsweredAt")));
    line(b, "state", finished(job, 0) ? "DONE" : "RUNNING");
    return b.toString();
  }

  /** The header of {@link #row}. */
  public static String header() {
    return String.format(
        Locale.ROOT,
        "%-40s %-10s %10s %10s %10s %8s  %s",
        "JOB",
        "TENANT",
        "DOCUMENTS",
        "ANSWERED",
        "DEAD",
        "STATE",
        "STARTED");
  }

  /** One job as a table row. */
  public static String row(JsonNode job) {
    return String.format(
        Locale.ROOT,
        "%-40s %-10s %10d %10d %10d %8s  %s",
        job.path("jobId").asText(),
        job.path("tenant").asText(""),
        expected(job, 0),
        job.path("answered").asLong(0),
        job.path("deadLettered").asLong(0),
        finished(job, 0) ? "DONE" : "RUNNING",
        time(job.path("firstSubmittedAt")));
  }

  /**
   * A progress line: bar, documents done of expected, rate and time left.
   *
   * @param rate documents per second so far, or a negative number when not yet known
   */
  public static String progress(JsonNode job, long override, double rate) {
    long expected = expected(job, override);
    long done = done(job);
    int filled = expected == 0 ? 0 : (int) Math.min(BAR, done * BAR / expected);
    String pace = "";
    if (rate > 0 && done < expected) {
      pace =
          String.format(
              Locale.ROOT, ", %.1f/s, about %s left", rate, duration((expected - done) / rate));
    } else if (rate > 0) {
      pace = String.format(Locale.ROOT, ", %.1f/s", rate);
    }
    return String.format(
        Locale.ROOT,
        "[%s%s] %s/%s done (%d%%): %s answered, %s dead-lettered%s",
        "#".repeat(filled),
        "-".repeat(BAR - filled),
        count(done),
        count(expected),
        expected == 0 ? 0 : done * 100 / expected,
        count(job.path("answered").asLong(0)),
        count(job.path("deadLettered").asLong(0)),
        pace);
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }

  private static String tally(JsonNode counts) {
    String listed = byCount(counts);
    return listed.isEmpty() ? "" : " (" + listed + ")";
  }

  /** "a 7, b 3": the counts, largest first. */
  private static String byCount(JsonNode counts) {
    if (!counts.isObject() || counts.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(counts.properties());
    entries.sort(
        Map.Entry.<String, JsonNode>comparingByValue((x, y) -> Long.compare(y.asLong(), x.asLong()))
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> parts = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : entries) {
      parts.add(e.getKey() + " " + count(e.getValue().asLong()));
    }
    return String.join(", ", parts);
  }

  private static String count(long n) {
    return String.format(Locale.ROOT, "%,d", n);
  }

  private static String time(JsonNode epochMs) {
    return epochMs.isNumber() ? Instant.ofEpochMilli(epochMs.asLong()).toString() : "-";
  }

  private static void line(StringBuilder b, String name, String value) {
    if (value != null && !value.isEmpty()) {
      b.append(String.format(Locale.ROOT, "  %-13s %s%n", name, value));
    }
  }
}
