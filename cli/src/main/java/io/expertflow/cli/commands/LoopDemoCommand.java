package io.expertflow.cli.commands;

import io.expertflow.cli.demo.DemoDocuments;
import io.expertflow.cli.demo.DemoModel;
import io.expertflow.cli.demo.DemoOutcome;
import io.expertflow.cli.demo.DemoScenario;
import io.expertflow.cli.demo.DemoStack;
import io.expertflow.cli.demo.DemoStackConfig;
import io.expertflow.cli.demo.RunLog;
import io.expertflow.cli.demo.UpdateOutcome;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code expertflow loop-demo}: the feedback loop alone, on Kafka, with real documents. */
@Command(
    name = "loop-demo",
    mixinStandardHelpOptions = true,
    description = {
      "The feedback loop alone, as a shift scenario on Kafka with real data: the serving model"
          + " was trained without the Brown genre '"
          + DemoModel.HELD_OUT_LABEL
          + "'; a simulated week of that genre's documents arrives, users correct every answer"
          + " with the true label, the weekly window closes, the updater changes a few experts"
          + " (or rejects the update, with its figures), the worker hot-loads the new version."
          + " Prints accuracy before and after on the genre's evaluation documents (sent through"
          + " Kafka both times, never shown to the update) and on the guard set, and the share of"
          + " expert parameters changed.",
      "",
      "Examples:",
      "  expertflow loop-demo",
      "  expertflow loop-demo --week-docs 30 --min-feedback 3"
    })
public final class LoopDemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DemoOptions options;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String encoderProblem = options.encoderProblem(null);
    if (encoderProblem != null) {
      err.println("loop-demo: " + encoderProblem);
      return 2;
    }
    Path cacheDir = options.cacheDir();
    Path modelDir =
        DemoCommand.demoModel(
            cacheDir, options.trainDocsPerLabel, options.encoderVariant(), out, err);
    if (modelDir == null) {
      return 1;
    }
    DemoModel model = DemoModel.load(modelDir);
    if (!model.updatable()) {
      err.println("loop-demo: " + modelDir + " has no replay reservoir and guard set beside it");
      return 1;
    }
    CorpusSet corpora =
        CorpusSource.npm(cacheDir, TrainingConfig.DEFAULT_NPM_COMMAND)
            .load(new ConsoleProgress(out));
    DemoDocuments documents =
        DemoDocuments.draw(
                corpora.documents(),
                MoeTrainingConfig.DEFAULT_SEED,
                options.trainDocsPerLabel,
                DemoModel.HELD_OUT_LABEL,
                Integer.MAX_VALUE,
                options.weekDocs)
            .newLabelOnly();
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir =
        options.runDir != null ? options.runDir : Path.of("expertflow-runs", "loop-demo-" + stamp);
    Files.createDirectories(dir);
    DemoStackConfig config =
        new DemoStackConfig(
            "loop-" + stamp,
            DemoStackConfig.DEFAULT_TOPIC_PREFIX,
            model,
            Map.of("engine.provider", options.engine),
            options.minFeedback);
    DemoOutcome outcome;
    out.printf(
        "'%s' documents: %d for the week, %d to evaluate; log: %s%n",
        documents.newLabel(),
        documents.week().size(),
        documents.evaluation().size(),
        dir.resolve("loop-demo.log").toAbsolutePath());
    try (RunLog ignored = RunLog.to(dir.resolve("loop-demo.log"));
        DemoStack stack = DemoStack.start(config, out)) {
      outcome = new DemoScenario(stack, out, options.timeout).run(documents);
    }
    outcome.summary().write(dir.resolve("summary.json"));
    out.println();
    out.print(figures(outcome));
    out.flush();
    return outcome.summary().exactlyOnce() ? 0 : 1;
  }

  /** The loop's figures as printed. */
  static String figures(DemoOutcome o) {
    StringBuilder b = new StringBuilder("feedback loop\n");
    String label = o.summary().newLabel();
    b.append(
        String.format(
            Locale.ROOT,
            "  %-34s %s -> %s%n",
            "'" + label + "' documents (through Kafka)",
            pct(o.summary().newLabelAccuracy()),
            pct(o.summary().newLabelAccuracyAfterUpdate())));
    UpdateOutcome u = o.update();
    if (u != null) {
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %s -> %s%n",
              "held-out feedback (updater)",
              pct(u.metric("holdout_accuracy", false)),
              pct(u.metric("holdout_accuracy", true))));
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %s -> %s%n",
              "guard set (updater)",
              pct(u.metric("guard_accuracy", false)),
              pct(u.metric("guard_accuracy", true))));
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %d of %d (%.3f %%) in %d experts%n",
              "expert parameters changed",
              u.record().getParametersChanged(),
              u.record().getParametersTotal(),
              100 * u.changedShare(),
              u.record().getChangedExperts().size()));
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %s %s%n  %-34s %s%n",
              "verdict",
              u.record().getState(),
              u.record().getVersion(),
              "",
              u.record().getReason()));
      b.append(
          String.format(
              Locale.ROOT,
              "  %-34s %s%n",
              "served after the update",
              o.summary().modelVersionAfter()));
    }
    return b.toString();
  }

  private static String pct(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.1f %%", 100 * v);
  }
}
