package io.expertflow.cli.topics;

import io.expertflow.schemas.topics.TopicCheck;
import io.expertflow.schemas.topics.TopicMismatch;
import io.expertflow.schemas.topics.TopicPlan;
import io.expertflow.schemas.topics.TopicSpec;
import io.expertflow.schemas.topics.TopicStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A {@link TopicPlan} as a table: one row per catalogue topic with its status and the values the
 * catalogue asks for, a "have X, want Y" line under each setting that differs, a summary, and the
 * commands a person could run for the differences. Stateless apart from the actions.
 */
public final class TopicPlanText {
  private final TopicActions actions;

  public TopicPlanText(TopicActions actions) {
    this.actions = Objects.requireNonNull(actions, "actions");
  }

  /** Prints the table and the summary line. */
  public void printTable(PrintWriter out, TopicPlan plan) {
    int width =
        Math.max(
            "TOPIC".length(),
            plan.checks().stream().mapToInt(c -> c.name().length()).max().orElse(0));
    String row = "%-" + width + "s  %-7s  %10s  %8s  %7s  %-14s  %9s%n";
    out.printf(row, "TOPIC", "STATUS", "PARTITIONS", "REPLICAS", "MIN ISR", "CLEANUP", "RETENTION");
    for (TopicCheck check : plan.checks()) {
      TopicSpec spec = check.spec();
      out.printf(
          row,
          check.name(),
          check.status().word(),
          spec.partitions(),
          spec.replicationFactor(),
          spec.minInsyncReplicas().map(String::valueOf).orElse("-"),
          spec.cleanupPolicy().configValue(),
          spec.retention().map(TopicPlanText::retention).orElse("-"));
      for (TopicMismatch m : check.mismatches()) {
        out.printf("    %s: have %s, want %s%n", m.setting(), m.actual(), m.expected());
      }
    }
    out.println(summary(plan));
  }

  /** {@code 13 topics: 2 to create, 10 ok, 1 differs}. */
  public static String summary(TopicPlan plan) {
    return plan.checks().size()
        + " topics: "
        + plan.withStatus(TopicStatus.CREATE).size()
        + " to create, "
        + plan.withStatus(TopicStatus.OK).size()
        + " ok, "
        + plan.withStatus(TopicStatus.DIFFERS).size()
        + " differ"
        + (plan.withStatus(TopicStatus.DIFFERS).size() == 1 ? "s" : "");
  }

  /** The commands for the differing topics; prints nothing when none differs. */
  public void printActions(PrintWriter out, TopicPlan plan) {
    List<TopicCheck> differing = plan.withStatus(TopicStatus.DIFFERS);
    if (differing.isEmpty()) {
      return;
    }
    out.println();
    out.println(
        "expertflow changes no existing topic. To bring the differing ones in line, a person"
            + " could run:");
    for (TopicCheck check : differing) {
      for (TopicMismatch m : check.mismatches()) {
        TopicActions.Action action = actions.forMismatch(m);
        out.printf(
            "  %s %s: have %s, want %s%n", check.name(), m.setting(), m.actual(), m.expected());
        out.printf("    %s%n", action.command());
        out.printf("    (%s)%n", action.note());
      }
    }
  }

  /** A retention as people say it: {@code 7d}, {@code 12h}, else milliseconds. */
  static String retention(Duration d) {
    if (d.isZero()) {
      return "0";
    }
    if (d.toMillis() % Duration.ofDays(1).toMillis() == 0) {
      return d.toDays() + "d";
    }
    if (d.toMillis() % Duration.ofHours(1).toMillis() == 0) {
      return d.toHours() + "h";
    }
    return d.toMillis() + "ms";
  }
}
