package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.local.FreePorts;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** {@code expertflow topics} where no broker is needed: bad input, no cluster, the help. */
class TopicsCommandTest {

  @Test
  void shouldNameTheBootstrapServersWhenNoClusterAnswers() throws IOException {
    String address = "127.0.0.1:" + closedPort();

    CliRun result = run("topics", "plan", "-b", address, "--timeout", "PT2S");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("No answer from Kafka at " + address + " within 2 s")
        .contains("security.protocol");
    assertThat(result.out()).doesNotContain("TOPIC");
  }

  @Test
  void shouldRefuseAPartitionOverrideOfATopicTheCatalogueDoesNotHave() {
    CliRun result = run("topics", "render", "--cluster", "c", "--partitions", "request=3");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .contains("--partitions names no topic of the catalogue: 'request'")
        .contains("requests.inbound, requests, responses");
  }

  @Test
  void shouldRefuseToSplitTheCoPartitionedTopics() {
    CliRun result = run("topics", "render", "--cluster", "c", "--partitions", "responses=3");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).contains("must have the same partition count");
  }

  @Test
  void shouldDocumentTheExitStatusesInTheHelp() {
    CliRun result = run("topics", "apply", "--help");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .contains("Exit status:")
        .contains("3   an existing topic differs")
        .contains("4   topics are missing and were not created")
        .contains("--dry-run")
        .contains("--yes")
        .contains("--command-config=FILE");
  }

  /** A port nothing listens on, outside the range the kernel hands out by itself. */
  private static int closedPort() {
    return FreePorts.pick();
  }

  private static CliRun run(String... args) {
    return CliRun.run(args);
  }
}
