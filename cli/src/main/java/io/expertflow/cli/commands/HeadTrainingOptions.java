package io.expertflow.cli.commands;

import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import picocli.CommandLine.Option;

/** The head's shape and how it is trained: the options of {@code expertflow train} for the head. */
final class HeadTrainingOptions {
  @Option(
      names = "--seed",
      defaultValue = "" + MoeTrainingConfig.DEFAULT_SEED,
      description = "Seed of the split and the training (default: ${DEFAULT-VALUE}).")
  long seed;

  @Option(
      names = "--epochs",
      defaultValue = "" + MoeTrainingConfig.DEFAULT_EPOCHS,
      description = "Training epochs (default: ${DEFAULT-VALUE}).")
  int epochs;

  @Option(
      names = "--start",
      paramLabel = "HOW",
      defaultValue = "UPCYCLED_FROM_LINEAR",
      description =
          "How the experts start: UPCYCLED_FROM_LINEAR (a dense head that starts as the logistic"
              + " regression on the same samples, trained on, copied into every expert, then"
              + " specialised: never worse than the regression on validation), UPCYCLED (the same"
              + " from random weights) or RANDOM (the earlier training) (default:"
              + " ${DEFAULT-VALUE}).")
  MoeTrainingConfig.Start start;

  @Option(
      names = "--select-by",
      paramLabel = "LOSS|ACCURACY",
      defaultValue = "LOSS",
      description =
          "What picks each training stage's epoch and the anchor weight kept: the validation"
              + " cross-entropy (LOSS) or the validation accuracy (ACCURACY, the earlier training)"
              + " (default: ${DEFAULT-VALUE}).")
  MoeTrainingConfig.Selection selectBy;

  @Option(
      names = "--spare-units",
      paramLabel = "RANDOM|PRINCIPAL",
      defaultValue = "PRINCIPAL",
      description =
          "How an expert's hidden units beyond those the logistic regression start fills begin:"
              + " PRINCIPAL (along the training embeddings' leading principal directions, so that a"
              + " label learned later from feedback has more to read) or RANDOM (seeded random"
              + " rows, the earlier training) (default: ${DEFAULT-VALUE}).")
  MoeTrainingConfig.SpareUnits spareUnits;

  @Option(
      names = "--baseline",
      paramLabel = "START|TUNED",
      defaultValue = "START",
      description =
          "The logistic regression the head is compared with on the test documents: START (the one"
              + " the experts start from: Adam, the best validation epoch of 40) or TUNED (solved"
              + " to convergence at each L2 strength of a grid, the strength chosen on"
              + " validation: the regression at its best settings; adds some 10 s at the demo"
              + " recipe and 45 s at the defaults on two cores) (default: ${DEFAULT-VALUE}).")
  TrainingConfig.Baseline baseline;

  @Option(
      names = "--experts",
      paramLabel = "E",
      defaultValue = "" + MoeHeadConfig.DEFAULT_EXPERTS,
      description = "Base experts of the head (default: ${DEFAULT-VALUE}).")
  int experts;

  @Option(
      names = "--top-k",
      paramLabel = "K",
      defaultValue = "" + MoeHeadConfig.DEFAULT_TOP_K,
      description = "Experts chosen per document (default: ${DEFAULT-VALUE}).")
  int topK;

  @Option(
      names = "--expert-hidden",
      paramLabel = "M",
      defaultValue = "" + TrainingConfig.DEFAULT_EXPERT_HIDDEN,
      description =
          "Hidden width inside each base expert; the logistic regression start fills 2 (L - 1)"
              + " units, --spare-units starts the rest (default: ${DEFAULT-VALUE}).")
  int expertHidden;

  @Option(
      names = "--domains",
      paramLabel = "D",
      defaultValue = "" + MoeHeadConfig.DEFAULT_DOMAINS,
      description = "Domain experts; must divide --experts (default: ${DEFAULT-VALUE}).")
  int domains;

  /** The training settings these options choose, the trainer's defaults otherwise. */
  MoeTrainingConfig training() {
    return MoeTrainingConfig.defaults()
        .withEpochs(epochs)
        .withSeed(seed)
        .withStart(start)
        .withSelectBy(selectBy)
        .withSpareUnits(spareUnits);
  }
}
