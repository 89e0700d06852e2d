package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.cli.Expertflow;
import io.expertflow.streams.status.CallerTokens;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class TokenCommandTest {
  @TempDir Path dir;

  @Test
  void shouldPrintATokenOnceAndAppendOnlyItsHashToTheFileTheStreamsAppReads() throws Exception {
    Path file = dir.resolve("etc/api-tokens");

    Run acme = run("token", "create", "--tenant", "acme", "--file", file.toString());
    Run ops = run("token", "create", "--tenant", "*", "--file", file.toString());

    assertThat(acme.rc).isZero();
    assertThat(ops.rc).isZero();
    String token = acme.out.strip();
    assertThat(token).hasSizeGreaterThanOrEqualTo(40).doesNotContain(":");
    assertThat(Files.readString(file))
        .doesNotContain(token)
        .contains("acme:" + CallerTokens.hash(token));
    CallerTokens tokens = CallerTokens.load(file);
    assertThat(tokens.tenantOf("Bearer " + token)).contains("acme");
    assertThat(tokens.tenantOf("Bearer " + ops.out.strip())).contains("*");
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(
            java.nio.file.attribute.PosixFilePermission.OWNER_READ,
            java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
    assertThat(run("token", "create", "--tenant", "a b").rc).isEqualTo(2);
  }

  private record Run(int rc, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Expertflow());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int rc = cli.execute(args);
    return new Run(rc, out.toString(), err.toString());
  }
}
