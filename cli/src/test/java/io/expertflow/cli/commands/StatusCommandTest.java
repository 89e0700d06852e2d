package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.cli.Expertflow;
import io.expertflow.local.FreePorts;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class StatusCommandTest {
  @Test
  void shouldRenderAnAnsweredRequestReadably() throws Exception {
    String json =
        "{\"requestId\":\"r1\",\"documentId\":\"d1\",\"tenant\":\"acme\",\"state\":\"ANSWERED\","
            + "\"responseStatus\":\"OK\",\"labels\":[{\"label\":\"spam\",\"score\":0.97}],"
            + "\"modelVersion\":\"v1\",\"decision\":\"BLOCKED\",\"duplicatesRejected\":0}";

    String text = StatusCommand.render(new ObjectMapper().readTree(json));

    assertThat(text)
        .startsWith("r1\n")
        .contains("state        ANSWERED")
        .contains("labels       spam 0.97")
        .contains("decision     BLOCKED")
        .doesNotContain("duplicates");
  }

  @Test
  void shouldSayWhatTheDocumentMemoryDidToTheAnswer() throws Exception {
    String fused =
        "{\"requestId\":\"r3\",\"state\":\"ANSWERED\",\"labels\":[{\"label\":\"news\","
            + "\"score\":0.8}],\"encoderId\":\"minilm@a502\",\"memory\":{\"nearDuplicate\":true,"
            + "\"voters\":1,\"headLabel\":\"ham\",\"nearest\":{\"requestId\":\"r1\","
            + "\"similarity\":0.98962,\"label\":\"news\",\"corrected\":true}}}";
    String alone =
        "{\"requestId\":\"r4\",\"state\":\"ANSWERED\",\"memory\":{\"nearDuplicate\":false,"
            + "\"voters\":0}}";

    assertThat(StatusCommand.render(new ObjectMapper().readTree(fused)))
        .contains("encoder      minilm@a502")
        .contains(
            "memory       near-duplicate of r1 (0.9896, corrected to news); 1 vote; the head alone"
                + " said ham");
    assertThat(StatusCommand.render(new ObjectMapper().readTree(alone)))
        .contains("memory       no earlier document of this tenant")
        .doesNotContain("encoder");
  }

  @Test
  void shouldShowWhyARequestWasDeadLettered() throws Exception {
    String json =
        "{\"requestId\":\"r2\",\"state\":\"DEAD_LETTERED\",\"deadLetterReason\":\"TOO_LARGE\","
            + "\"deadLetterDetail\":\"2000000 bytes > 1048576\"}";

    assertThat(StatusCommand.render(new ObjectMapper().readTree(json)))
        .contains("dead letter  TOO_LARGE")
        .contains("detail       2000000 bytes > 1048576");
  }

  @Test
  void shouldSayInWordsThatNothingAnswersWhereTheStatusApiShouldBe() throws Exception {
    int port = FreePorts.pick(); // nothing listens there
    StringWriter err = new StringWriter();
    CommandLine cli = Expertflow.commandLine();
    cli.setErr(new PrintWriter(err));

    int code = cli.execute("status", "r1", "--status-url", "http://127.0.0.1:" + port);

    assertThat(code).isEqualTo(1);
    assertThat(err.toString())
        .startsWith("status: cannot reach http://127.0.0.1:" + port + " (connection refused);")
        .doesNotContain("Exception");
  }
}
