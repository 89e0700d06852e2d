package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BuildInfoTest {

  @Test
  void shouldKnowTheProjectsVersionFromTheBuild() {
    assertThat(BuildInfo.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");

    String[] printed = new CommandLine(new Expertflow()).getCommandSpec().version();
    assertThat(printed[0]).startsWith("expertflow " + BuildInfo.version());
    assertThat(printed[1]).startsWith("Java " + Runtime.version());
  }

  @Test
  void shouldNameTheCheckedOutCommitAndSayWhenTheWorkTreeIsModified(@TempDir Path dir)
      throws Exception {
    Path file = Files.writeString(dir.resolve("a.txt"), "one\n");
    git(dir, "init", "-q");
    git(dir, "add", "a.txt");
    git(dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "one");
    String head = output(dir, "rev-parse", "--short=12", "HEAD");

    assertThat(BuildInfo.commit(dir.toString())).contains(head);
    Files.writeString(file, "two\n");
    assertThat(BuildInfo.commit(dir.toString())).contains(head + " (modified)");
    assertThat(BuildInfo.commit(dir.resolve("not-a-checkout").toString())).isEmpty();
  }

  private static void git(Path dir, String... args) throws Exception {
    output(dir, args);
  }

  private static String output(Path dir, String... args) throws Exception {
    String[] command = new String[args.length + 3];
    command[0] = "git";
    command[1] = "-C";
    command[2] = dir.toString();
    System.arraycopy(args, 0, command, 3, args.length);
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes()).strip();
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }
}
