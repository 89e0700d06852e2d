package io.expertflow.cli.commands;

import io.expertflow.cli.demo.DemoModel;
import io.expertflow.cli.demo.DemoStackConfig;
import io.expertflow.model.bundle.EncoderVariant;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The options {@code demo} and {@code loop-demo} share: the week, the model, the run. */
final class DemoOptions {
  @Option(
      names = "--week-docs",
      defaultValue = "40",
      description =
          "New-label documents in the simulated week, each with feedback (default:"
              + " ${DEFAULT-VALUE}).")
  int weekDocs;

  @Option(
      names = "--min-feedback",
      paramLabel = "N",
      defaultValue = "" + DemoStackConfig.DEFAULT_MIN_FEEDBACK_PER_EXPERT,
      description =
          "Feedback events an expert needs in the week to be updated (default: ${DEFAULT-VALUE}).")
  long minFeedback;

  @Option(
      names = "--train-docs-per-label",
      paramLabel = "N",
      defaultValue = "" + DemoModel.DOCS_PER_LABEL,
      description =
          "Train the demo model on at most N documents per label; smaller is faster"
              + " (default: ${DEFAULT-VALUE}).")
  int trainDocsPerLabel;

  @Option(
      names = "--encoder",
      paramLabel = "NAME",
      description =
          "Encoder of the demo model, trained once per encoder: e5-small-v2-static (the most"
              + " accurate), int8-static (all-MiniLM-L6-v2, about twice as fast) or another"
              + " shipped one that train --encoder names (default: e5-small-v2-static). Not with"
              + " --bundle, which brings its own.")
  String encoder;

  @Option(
      names = "--cache",
      paramLabel = "DIR",
      description =
          "Cache of corpora, embeddings and the demo model (default: $EXPERTFLOW_CACHE or"
              + " ~/.cache/expertflow).")
  Path cache;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description =
          "Folder for the log, the report and the summary (default: expertflow-runs/<time>).")
  Path runDir;

  @Option(
      names = "--engine",
      defaultValue = "auto",
      description = "auto, cuda or cpu (default: ${DEFAULT-VALUE}).")
  String engine;

  @Option(
      names = "--timeout",
      defaultValue = "PT15M",
      description = "Give up any one wait after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  /**
   * The shipped encoder {@code --encoder} names, the default without one.
   *
   * @throws IllegalArgumentException naming the shipped encoders, for a name that is none of them
   */
  EncoderVariant encoderVariant() {
    return encoder == null ? EncoderVariant.DEFAULT : EncoderVariant.parse(encoder);
  }

  /**
   * Why these options cannot run, or null: an unknown {@code --encoder}, or one given with a bundle
   * of the user's, which brings its own encoder.
   */
  String encoderProblem(Path bundle) {
    if (encoder == null) {
      return null;
    }
    if (bundle != null) {
      return "--encoder chooses the encoder of the demo model it trains; the --bundle "
          + bundle
          + " brings its own";
    }
    try {
      encoderVariant();
      return null;
    } catch (IllegalArgumentException e) {
      return e.getMessage();
    }
  }

  /** {@code --cache}, or the cache every command uses by default. */
  Path cacheDir() {
    return cache != null ? cache : TrainCommand.defaultCache();
  }
}
