package io.expertflow.cli.commands;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Prints a bash completion script for every command, option and enum value of the CLI. */
@Command(
    name = "completion",
    mixinStandardHelpOptions = true,
    description = {
      "Print a bash completion script: Tab then completes the commands, their options and the"
          + " values of options that take one of a few (zsh too, after 'autoload -U +X"
          + " bashcompinit && bashcompinit'). The script runs nothing of expertflow's when Tab is"
          + " pressed.",
      "",
      "Examples:",
      "  source <(expertflow completion)      # this shell",
      "  expertflow completion > ~/.local/share/bash-completion/completions/expertflow"
    })
public final class CompletionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine()
        .getOut()
        .print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
    spec.commandLine().getOut().flush();
    return 0;
  }
}
