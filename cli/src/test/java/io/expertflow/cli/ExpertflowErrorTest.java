package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ExpertflowErrorTest {

  @Test
  void shouldSayWhereKafkaDidNotAnswerAndHowToPointElsewhere() {
    CommandLine tail =
        Expertflow.commandLine()
            .parseArgs("tail", "-b", "kafka.example:9093", "responses")
            .subcommand()
            .commandSpec()
            .commandLine();
    Throwable timedOut =
        new KafkaException(new TimeoutException("Timeout expired while fetching topic metadata"));

    assertThat(Expertflow.unansweredHint(timedOut, tail))
        .contains("Kafka at kafka.example:9093 did not answer in time")
        .contains("expertflow up", "-b HOST:PORT", "EXPERTFLOW_BOOTSTRAP_SERVERS");
    assertThat(Expertflow.unansweredHint(new IllegalStateException("other"), tail)).isEmpty();
  }

  @Test
  void shouldReadEveryDurationOptionAsSettingsAreRead() {
    CommandLine wait =
        Expertflow.commandLine()
            .parseArgs("job", "wait", "contracts-1", "--timeout", "2h", "--interval", "500ms")
            .subcommand()
            .subcommand()
            .commandSpec()
            .commandLine();
    CommandLine iso =
        Expertflow.commandLine()
            .parseArgs("job", "wait", "contracts-1", "--timeout", "PT90S")
            .subcommand()
            .subcommand()
            .commandSpec()
            .commandLine();

    assertThat(wait.getCommandSpec().findOption("--timeout").<Duration>getValue())
        .isEqualTo(Duration.ofHours(2));
    assertThat(wait.getCommandSpec().findOption("--interval").<Duration>getValue())
        .isEqualTo(Duration.ofMillis(500));
    assertThat(iso.getCommandSpec().findOption("--timeout").<Duration>getValue())
        .isEqualTo(Duration.ofSeconds(90));
    assertThatThrownBy(
            () -> Expertflow.commandLine().parseArgs("job", "wait", "x", "--timeout", "soon"))
        .hasMessageContaining("--timeout");
  }

  @Test
  void shouldSayWhatWentWrongWithoutExceptionClassNames() {
    StringWriter err = new StringWriter();
    CommandLine cli = Expertflow.commandLine();
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("submit", "/no/such/folder");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .isEqualTo("error: no such file or folder: /no/such/folder" + System.lineSeparator());
    // what the audit command says of a missing key file, made as the key reader makes it
    NoSuchFileException missing = new NoSuchFileException("/k.pem");
    assertThat(
            Expertflow.message(
                new UncheckedIOException(
                    "cannot read the public key file /k.pem: " + missing, missing)))
        .isEqualTo("cannot read the public key file /k.pem: no such file or folder: /k.pem");
  }
}
