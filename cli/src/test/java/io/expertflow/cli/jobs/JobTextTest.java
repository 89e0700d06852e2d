package io.expertflow.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JobTextTest {
  private static JsonNode job(String json) throws Exception {
    return new ObjectMapper().readTree(json);
  }

  @Test
  void shouldBeFinishedOnlyWhenEveryExpectedDocumentHasAnOutcome() throws Exception {
    JsonNode running = job("{\"expected\":10,\"submitted\":6,\"answered\":5,\"deadLettered\":1}");
    JsonNode allSubmittedAndDone =
        job("{\"expected\":10,\"submitted\":10,\"answered\":8,\"deadLettered\":2}");

    assertThat(JobText.finished(running, 0)).isFalse(); // all submitted so far are done, not all
    assertThat(JobText.finished(allSubmittedAndDone, 0)).isTrue();
    assertThat(JobText.finished(allSubmittedAndDone, 12)).isFalse(); // --expect 12
    JsonNode oneNeverSent = job("{\"expected\":10,\"submitted\":9,\"answered\":9}");
    assertThat(JobText.finished(oneNeverSent, 0)).isFalse();
    assertThat(JobText.finished(oneNeverSent, 9)).isTrue(); // --expect 9
  }

  @Test
  void shouldDrawTheBarWithRateAndTimeLeft() throws Exception {
    String line =
        JobText.progress(
            job("{\"expected\":2000,\"submitted\":2000,\"answered\":990,\"deadLettered\":10}"),
            0,
            50.0);

    assertThat(line)
        .isEqualTo(
            "[###############---------------] 1,000/2,000 done (50%): 990 answered, 10"
                + " dead-lettered, 50.0/s, about 20s left");
  }

  @Test
  void shouldListCountsLargestFirst() throws Exception {
    String block =
        JobText.block(
            job(
                "{\"jobId\":\"j-1\",\"expected\":3,\"submitted\":3,\"answered\":3,"
                    + "\"labels\":{\"a\":1,\"b\":2},\"decisions\":{\"APPROVED\":3}}"));

    assertThat(block).contains("labels        b 2, a 1").contains("state         DONE");
  }
}
