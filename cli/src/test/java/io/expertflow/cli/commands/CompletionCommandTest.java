package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.cli.Expertflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The completion script, sourced by a real bash and asked what Tab offers. */
class CompletionCommandTest {
  @TempDir Path dir;

  private Path script;

  @BeforeEach
  void writeScript() throws Exception {
    StringWriter out = new StringWriter();
    CommandLine cli = Expertflow.commandLine();
    cli.setOut(new PrintWriter(out));
    assertThat(cli.execute("completion")).isZero();
    script = Files.writeString(dir.resolve("expertflow.bash"), out.toString());
  }

  @Test
  void shouldCompleteACommandFromItsFirstLetters() throws Exception {
    assertThat(complete("expertflow", "tr")).containsExactly("train");
    assertThat(complete("expertflow", "")).contains("demo", "worker", "streams", "completion");
  }

  @Test
  void shouldCompleteTheOptionsOfASubcommand() throws Exception {
    assertThat(complete("expertflow", "train", "--hold")).containsExactly("--hold-out-label");
    assertThat(complete("expertflow", "job", "")).contains("submit", "wait", "export");
  }

  @Test
  void shouldCompleteTheValuesOfAnOptionThatTakesOneOfAFew() throws Exception {
    assertThat(complete("expertflow", "train", "--start", ""))
        .containsExactlyInAnyOrder("UPCYCLED_FROM_LINEAR", "UPCYCLED", "RANDOM");
  }

  /**
   * What the script's completion function offers for the words typed so far (the last one open).
   */
  private List<String> complete(String... words) throws Exception {
    List<String> command = new ArrayList<>();
    command.add("bash");
    command.add("-c");
    command.add(
        "source \"$0\"; COMP_WORDS=(\"$@\"); COMP_CWORD=$(($# - 1)); COMP_LINE=\"$*\";"
            + " COMP_POINT=${#COMP_LINE}; _complete_expertflow 2>/dev/null;"
            + " printf '%s\\n' \"${COMPREPLY[@]}\"");
    command.add(script.toString());
    command.addAll(List.of(words));
    Process bash = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    return out.lines().filter(line -> !line.isBlank()).toList();
  }
}
