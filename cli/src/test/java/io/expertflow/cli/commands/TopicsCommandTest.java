package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.cli.Expertflow;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code expertflow topics} where no broker is needed: bad input, no cluster, the help. */
class TopicsCommandTest {

  @Test
  void shouldNameTheBootstrapServersWhenNoClusterAnswers() throws IOException {
    String address = "127.0.0.1:" + closedPort();

    Result result = run("topics", "plan", "-b", address, "--timeout", "PT2S");

    assertThat(result.code).isEqualTo(1);
    assertThat(result.err)
        .contains("No answer from Kafka at " + address + " within 2 s")
        .contains("security.protocol");
    assertThat(result.out).doesNotContain("TOPIC");
  }

  @Test
  void shouldRefuseAPartitionOverrideOfATopicTheCatalogueDoesNotHave() {
    Result result = run("topics", "render", "--cluster", "c", "--partitions", "request=3");

    assertThat(result.code).isEqualTo(1);
    assertThat(result.err)
        .contains("--partitions names no topic of the catalogue: 'request'")
        .contains("requests.inbound, requests, responses");
  }

  @Test
  void shouldRefuseToSplitTheCoPartitionedTopics() {
    Result result = run("topics", "render", "--cluster", "c", "--partitions", "responses=3");

    assertThat(result.code).isEqualTo(1);
    assertThat(result.err).contains("must have the same partition count");
  }

  @Test
  void shouldDocumentTheExitStatusesInTheHelp() {
    Result result = run("topics", "apply", "--help");

    assertThat(result.code).isZero();
    assertThat(result.out)
        .contains("Exit status:")
        .contains("3   an existing topic differs")
        .contains("4   topics are missing and were not created")
        .contains("--dry-run")
        .contains("--yes")
        .contains("--command-config=FILE");
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private record Result(int code, String out, String err) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Expertflow());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    int code = cli.execute(args);
    return new Result(code, out.toString(), err.toString());
  }
}
