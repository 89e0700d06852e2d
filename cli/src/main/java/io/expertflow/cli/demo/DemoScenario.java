package io.expertflow.cli.demo;

import io.micrometer.core.instrument.DistributionSummary;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The whole demo on a running stack: bulk documents, the feedback week, the update and its hot
 * reload, the same documents again; or, without a week (documents without labels, a model that
 * cannot be updated), the bulk phase alone. Used by one thread.
 */
public final class DemoScenario {
  private final DemoStack stack;
  private final PrintWriter out;
  private final Duration timeout;

  public DemoScenario(DemoStack stack, PrintWriter out, Duration timeout) {
    this.stack = stack;
    this.out = out;
    this.timeout = timeout;
  }

  /** Runs the phases; throws if a component failed or a wait ran out. */
  public DemoOutcome run(DemoDocuments documents) throws InterruptedException {
    DemoRun run = new DemoRun(stack, out, timeout);
    String device = stack.worker().engine().provider().toString().toLowerCase(Locale.ROOT);
    String versionBefore = stack.worker().models().current().version();
    String label = documents.newLabel();
    out.printf(
        Locale.ROOT,
        "worker on %s serving %s; 1. bulk: %d held-out documents through intake -> worker%n",
        device,
        versionBefore,
        documents.evaluation().size());
    out.flush();
    PhaseResult bulk = run.evaluate("bulk", documents.evaluation(), label);
    WeekResult week = null;
    UpdateOutcome update = null;
    PhaseResult after = null;
    if (documents.hasWeek() && stack.updating()) {
      out.printf(
          "2. a week of new traffic: %d '%s' documents (a label the model does not have), with"
              + " feedback%n",
          documents.week().size(), label);
      out.flush();
      week =
          run.feedbackWeek(
              documents.week(),
              label,
              FeedbackWeek.before(Instant.now(), Duration.ofDays(7), DemoStack.STATS_GRACE));
      update = run.awaitUpdate();
      out.printf("4. the same %d documents again%n", documents.evaluation().size());
      out.flush();
      after = run.evaluate("after", documents.evaluation(), label);
    } else if (!documents.hasWeek()) {
      out.println("(no feedback week: the documents carry no labels)");
    } else {
      out.println("(no feedback week: the model has no replay reservoir and guard set beside it)");
    }
    DistributionSummary batches =
        stack.worker().meters().find("expertflow.worker.batch.size").summary();
    DemoSummary summary =
        DemoSummary.of(
            bulk,
            week,
            update,
            after,
            stack.collector().duplicates(),
            stack.collector().feedbackDeadLetters(),
            label,
            batches == null ? 0 : batches.mean(),
            device,
            versionBefore,
            run.timeline().secondsAt(System.nanoTime()));
    return new DemoOutcome(summary, bulk, week, update, after, run.timeline(), expertLoad());
  }

  private Map<Integer, Long> expertLoad() {
    Map<Integer, Long> load = new TreeMap<>();
    for (Answer a : stack.collector().answers()) {
      for (int e : a.experts()) {
        load.merge(e, 1L, Long::sum);
      }
    }
    return load;
  }
}
