package io.expertflow.cli.commands;

import io.expertflow.model.training.RunComparison;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow compare}: several training runs' figures side by side, mean and spread. */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Print the figures of several `expertflow train` runs side by side, each with the runs'"
          + " mean, sample standard deviation and range: the held-out figures of the head, the"
          + " logistic regression, the head's lead over it, the head as served and TF-IDF alone;"
          + " with --hold-out-label, the shift update against the retrain. Meant for seeds of one"
          + " recipe; it says which other settings differ.",
      "",
      "Example:  for s in 42 1 7; do expertflow train --out runs/s$s --seed $s; done",
      "          expertflow compare runs/s42 runs/s1 runs/s7"
    })
public final class CompareCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(
      arity = "1..*",
      paramLabel = "RUN",
      description = "A folder `expertflow train --out` wrote, or its metrics.json.")
  List<Path> runs;

  @Option(names = "--markdown", description = "Write Markdown tables instead of aligned text.")
  boolean markdown;

  @Override
  public Integer call() throws IOException {
    RunComparison comparison;
    try {
      comparison = RunComparison.read(runs);
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("compare: " + e.getMessage());
      return 2;
    }
    spec.commandLine().getOut().print(markdown ? comparison.markdown() : comparison.text());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
