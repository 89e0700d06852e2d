package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TrainCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** Runs with {@code options}, the cache and the output in this test's folder. */
  private int runHere(String... options) {
    List<String> args = new ArrayList<>(List.of(options));
    args.addAll(List.of("--cache", dir.toString(), "--out", dir.resolve("o").toString()));
    return run(args.toArray(String[]::new));
  }

  private int run(String... args) {
    CommandLine cli = new CommandLine(new TrainCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    return cli.execute(args);
  }

  @Test
  void shouldDescribeEveryOptionInItsHelp() {
    int code = run("--help");

    assertThat(code).isZero();
    assertThat(out.toString())
        .contains("--cache", "--out", "--encoder", "--docs-per-label", "--full", "--seed")
        .contains("--hold-out-label", "--traffic-share", "--max-chunks", "--epochs")
        .contains("--guard-per-label", "--targeted-backoff")
        .contains("--experts", "--top-k", "--expert-hidden", "--domains", "--start", "--select-by")
        .contains("--baseline", "START|TUNED", "--spare-units", "RANDOM|PRINCIPAL")
        .contains("--data", "--test-data", "--text-field", "--dry-run", "--min-per-label");
  }

  @Test
  void shouldTrainTheWiderHeadWithPrincipalSpareUnitsAsTheTrainerDoesByDefault() {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs("--out", dir.toString());
    TrainingConfig trainer = TrainingConfig.builder(dir, dir).build();

    assertThat(command.headOptions.expertHidden)
        .isEqualTo(trainer.expertHidden())
        .isEqualTo(TrainingConfig.DEFAULT_EXPERT_HIDDEN)
        .isEqualTo(64);
    assertThat(command.headOptions.training()).isEqualTo(trainer.training());
    assertThat(trainer.training().spareUnits()).isEqualTo(MoeTrainingConfig.SpareUnits.PRINCIPAL);
  }

  @Test
  void shouldRejectAnUnknownEncoderBeforeDoingAnyWork() {
    int code = runHere("--encoder", "fp16");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--encoder");
    assertThat(dir.resolve("corpora")).doesNotExist();
  }

  @Test
  void shouldRejectAnUnknownBaselineBeforeDoingAnyWork() {
    int code = runHere("--baseline", "SVM");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--baseline").contains("START, TUNED");
    assertThat(dir.resolve("corpora")).doesNotExist();
  }

  @Test
  void shouldRejectANonPositiveDocumentCap() {
    int code = runHere("--docs-per-label", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("docsPerLabel must be > 0, was 0");
  }

  @Test
  void shouldRejectAnEmptyGuardSet() {
    int code = runHere("--guard-per-label", "0");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("--guard-per-label: must be at least 1, was 0")
        .contains("held-out feedback alone");
    assertThat(dir.resolve("corpora")).doesNotExist();
  }

  @Test
  void shouldRejectAHeadShapeThatCannotBeBuiltBeforeDoingAnyWork() {
    int code = runHere("--experts", "128", "--domains", "30");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("domains must be > 0 and divide experts=128, was 30");
    assertThat(dir.resolve("corpora")).doesNotExist();
  }
}
