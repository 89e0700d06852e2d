package io.expertflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

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
}
