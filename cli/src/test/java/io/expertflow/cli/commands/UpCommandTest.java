package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.local.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** What {@code expertflow up} does with a stack file already in its folder; no broker starts. */
class UpCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseToStartBesideAStackThatRunsFromTheSameFolder() throws Exception {
    try (ServerSocket kafka = listening()) {
      Path stack = stackFile("127.0.0.1:" + kafka.getLocalPort());
      String before = Files.readString(stack);

      Run run = up(stack, "--kafka-port", "0", "--registry-port", "0");

      assertThat(run.code).isNotZero();
      assertThat(run.err)
          .contains("a local stack already runs from this folder (Kafka at 127.0.0.1:")
          .contains("use it, or stop it");
      assertThat(Files.readString(stack)).isEqualTo(before);
    }
  }

  @Test
  void shouldLeaveTheStackFileOfAnotherStackWhenItCannotStart() throws Exception {
    int gone = FreePorts.pick(); // nothing listens there: a stack killed with -9
    Path stack = stackFile("127.0.0.1:" + gone);
    Path stale = Files.createDirectories(stack.resolveSibling("stack-streams-123/app/0_1"));
    Path mine = Files.createDirectories(stack.resolveSibling("users"));
    try (ServerSocket taken = listening()) {
      Run run = up(stack, "--kafka-port", Integer.toString(taken.getLocalPort()));

      assertThat(run.err).contains("port " + taken.getLocalPort() + " for Kafka is already in use");
    }
    assertThat(stack).as("a run that never started leaves the file alone").exists();
    assertThat(stale.getParent().getParent())
        .as("the state folder a stopped stack's streams app left behind")
        .doesNotExist();
    assertThat(mine).exists();
  }

  private static ServerSocket listening() throws Exception {
    ServerSocket s = new ServerSocket();
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return s;
  }

  private Path stackFile(String bootstrap) throws Exception {
    Path stack = dir.resolve(".expertflow/stack.properties");
    Files.createDirectories(stack.getParent());
    Files.writeString(stack, "bootstrap.servers=" + bootstrap + "\n");
    return stack;
  }

  private record Run(int code, String err) {}

  private static Run up(Path stack, String... args) {
    UpCommand command = new UpCommand();
    command.stackFile = stack;
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, err.toString());
  }
}
