package io.expertflow.cli.commands;

import io.expertflow.model.Analyzer;
import io.expertflow.model.TextAnalysis;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundleException;
import io.expertflow.model.corpus.DataFormat;
import io.expertflow.model.corpus.FolderData;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow analyze}: a model bundle on local files, without Kafka. */
@Command(
    name = "analyze",
    mixinStandardHelpOptions = true,
    description = {
      "Run a model bundle on local text files (a folder: every file under it; a JSON-lines,"
          + " CSV or TSV file: each document in it, as submit reads them), without Kafka, and"
          + " print per document the labels,"
          + " scores, chosen experts and gate weights, domain expert and chunk count. Useful to"
          + " check or debug a bundle. A file that cannot be read or holds no text is named and"
          + " skipped, the others are analysed, and the exit code is 1.",
      "",
      "Examples:  expertflow analyze notes.txt          # the most recently trained bundle",
      "           expertflow analyze --bundle build/tickets/model tickets/"
    })
public final class AnalyzeCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "Model bundle folder, or the folder 'expertflow train --out' wrote (default: the most"
              + " recently trained bundle).")
  Path bundle;

  @Option(
      names = "--engine",
      defaultValue = "auto",
      description = "auto, cuda or cpu (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(
      names = "--top",
      defaultValue = "3",
      description = "Labels to show (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--tfidf",
      negatable = true,
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Answer with the bundle's TF-IDF model beside the head where it has one (default);"
              + " --no-tfidf: the head alone, as a worker with tfidf.enabled=false.")
  boolean tfidf;

  @Parameters(
      paramLabel = "FILE",
      arity = "1..*",
      description =
          "Text files (UTF-8; .html and .eml read as their readable text), JSON-lines, CSV or TSV"
              + " files of documents, or folders of them.")
  List<Path> files;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ModelBundle model;
    try {
      model = ModelBundle.load(LatestBundle.resolve(bundle, TrainCommand.defaultCache(), err));
    } catch (IllegalArgumentException | ModelBundleException e) {
      err.println("analyze: " + e.getMessage());
      return 2;
    }
    // a file or document that cannot be read or holds nothing to analyse is named and skipped;
    // the rest run
    AnalyzeDocuments docs =
        new AnalyzeDocuments(Tokenizations.forBundle(model, chunking(model)), err);
    Inputs inputs = filesIn(files, err);
    docs.skipped += inputs.skipped();
    for (Path f : inputs.files()) {
      if (DataFormat.ofFileName(f).isPresent()) {
        docs.addEach(f);
      } else {
        docs.addFile(f);
      }
    }
    if (docs.texts.isEmpty()) {
      return 1;
    }
    EngineConfig config = EngineConfig.defaults().withProvider(ExecutionProvider.parse(engine));
    try (Engine e = Engine.start(config);
        Analyzer analyzer =
            new Analyzer(model, e, docs.tokenization, top, Analyzer.DEFAULT_BATCH_SIZE, tfidf)) {
      analyzer
          .lexical()
          .ifPresent(
              w ->
                  err.printf(
                      Locale.ROOT,
                      "answers: the head with its TF-IDF model beside it (weight %.2f)%n",
                      w.weight()));
      List<TextAnalysis> results = analyzer.analyze(docs.texts, docs.tokenized);
      for (int i = 0; i < docs.names.size(); i++) {
        TextAnalysis a = results.get(i);
        out.printf("%s%n", docs.names.get(i));
        out.printf(
            "  labels:  %s%n",
            a.topLabels().stream()
                .map(l -> String.format("%s %.3f", l.label(), l.score()))
                .collect(Collectors.joining(", ")));
        StringBuilder experts = new StringBuilder();
        for (int j = 0; j < a.experts().length; j++) {
          experts.append(
              String.format("%s%d (%.2f)", j == 0 ? "" : ", ", a.experts()[j], a.gates()[j]));
        }
        out.printf(
            "  experts: %s; domain %d; %d chunk(s)%s%n",
            experts, a.domain(), a.chunkCount(), a.truncated() ? ", truncated" : "");
      }
    } catch (ModelBundleException e) {
      err.println("analyze: " + e.getMessage());
      return 2;
    }
    return docs.skipped == 0 ? 0 : 1;
  }

  /** Why {@code file} could not be read, in words. */
  /**
   * The files given, a folder standing for every file under it in path order (hidden files and
   * folders skipped, as {@code submit} reads a folder).
   */
  static Inputs filesIn(List<Path> given, PrintWriter err) {
    List<Path> out = new ArrayList<>();
    int skipped = 0;
    for (Path path : given) {
      if (!Files.isDirectory(path)) {
        out.add(path);
        continue;
      }
      try {
        List<Path> visible = FolderData.visibleFiles(path);
        if (visible.isEmpty()) {
          skipped++;
          err.println(
              "analyze: "
                  + path
                  + ": skipped, no files under it (hidden files and folders are skipped)");
        }
        out.addAll(visible);
      } catch (IOException | UncheckedIOException e) {
        skipped++;
        err.println("analyze: " + path + ": skipped, cannot be read: " + ErrorText.of(e));
      }
    }
    return new Inputs(out, skipped);
  }

  /** The files to analyse, and how many folders given were skipped whole. */
  record Inputs(List<Path> files, int skipped) {}

  /**
   * Documents are cut as the bundle's head was trained (its manifest's chunk cap), else at the
   * worker's default.
   */
  static ChunkingConfig chunking(ModelBundle model) {
    Integer trained = model.manifest().trainedMaxChunks();
    return trained == null
        ? ChunkingConfig.defaults()
        : ChunkingConfig.builder().maxChunksPerDocument(trained).build();
  }
}
