package io.expertflow.streams.jobs;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.request;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JobTopologyTest {
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceRequest> inbound;
  private TestInputTopic<String, DeadLetter> deadLetters;
  private TestInputTopic<String, InferenceResponse> responses;
  private TestInputTopic<String, InferenceResponse> approved;
  private TestInputTopic<String, InferenceResponse> review;
  private KeyValueStore<String, JobCounts> jobs;

  @BeforeEach
  void start() {
    driver =
        new TopologyTestDriver(
            JobTopology.build(topics, registry),
            Fixtures.driverProps("jobs-test", registry, topics, "jobs"),
            T0);
    inbound = input(topics.requestsInbound(), InferenceRequest.class);
    deadLetters = input(topics.deadLetters(), DeadLetter.class);
    responses = input(topics.responses(), InferenceResponse.class);
    approved = input(topics.responsesApproved(), InferenceResponse.class);
    review = input(topics.responsesReview(), InferenceResponse.class);
    jobs = driver.getKeyValueStore(JobTopology.STORE);
  }

  private <T extends org.apache.avro.specific.SpecificRecord> TestInputTopic<String, T> input(
      String topic, Class<T> type) {
    return driver.createInputTopic(
        topic, Serdes.String().serializer(), AvroSerdes.value(type, registry).serializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private static InferenceRequest inJob(String job, String id, int total) {
    return request(id)
        .setJobId(job)
        .setSubmittedAt(T0.plusSeconds(id.hashCode() % 5 + 5))
        .setAttributes(Map.of("job.total", String.valueOf(total)))
        .build();
  }

  private static DeadLetter letter(String requestId, DeadLetterReason reason, String stage) {
    return new DeadLetters(stage, "test")
        .create(reason, "detail", requestId, new SourceRecordRef("t", 0, 1, null, null), 5);
  }

  @Test
  void shouldCountSubmittedAnsweredDecidedAndLabelledRequestsOfAJob() {
    inbound.pipeInput("j/a1", inJob("job-a", "j/a1", 3), T0);
    inbound.pipeInput("j/a2", inJob("job-a", "j/a2", 3), T0);
    inbound.pipeInput("j/a3", inJob("job-a", "j/a3", 3), T0);
    responses.pipeInput(
        "j/a1", response("j/a1", "spam", 0.9f).setProducedAt(T0.plusSeconds(60)).build(), T0);
    responses.pipeInput(
        "j/a2", response("j/a2", "ham", 0.8f).setProducedAt(T0.plusSeconds(90)).build(), T0);
    approved.pipeInput(
        "j/a1", response("j/a1", "spam", 0.9f).setProducedAt(T0.plusSeconds(60)).build(), T0);
    review.pipeInput(
        "j/a2", response("j/a2", "ham", 0.8f).setProducedAt(T0.plusSeconds(90)).build(), T0);

    JobCounts job = jobs.get("job-a");
    assertThat(job.tenant()).isEqualTo("acme");
    assertThat(job.expected()).isEqualTo(3);
    assertThat(job.submitted()).isEqualTo(3);
    assertThat(job.answered()).isEqualTo(2);
    assertThat(job.done()).isEqualTo(2);
    assertThat(job.labels()).containsExactlyInAnyOrderEntriesOf(Map.of("spam", 1L, "ham", 1L));
    assertThat(job.decisions())
        .containsExactlyInAnyOrderEntriesOf(Map.of("APPROVED", 1L, "REVIEW", 1L));
    assertThat(job.lastAnsweredAt()).isEqualTo(T0.plusSeconds(90).toEpochMilli());
    assertThat(job.firstSubmittedAt()).isGreaterThanOrEqualTo(T0.toEpochMilli());
    assertThat(job.answeredTimeline().counts())
        .containsExactly(
            Map.entry(T0.plusSeconds(60).toEpochMilli(), 1L),
            Map.entry(T0.plusSeconds(90).toEpochMilli(), 1L));
  }

  @Test
  void shouldCountEachRequestOnceWhenTheRequestAndItsResponseAreDeliveredAgain() {
    inbound.pipeInput("j/b1", inJob("job-b", "j/b1", 1), T0);
    inbound.pipeInput("j/b1", inJob("job-b", "j/b1", 1), T0); // resubmitted
    responses.pipeInput("j/b1", response("j/b1", "spam", 0.9f).build(), T0);
    responses.pipeInput("j/b1", response("j/b1", "spam", 0.9f).build(), T0); // redelivered
    approved.pipeInput("j/b1", response("j/b1", "spam", 0.9f).build(), T0);
    approved.pipeInput("j/b1", response("j/b1", "spam", 0.9f).build(), T0);
    deadLetters.pipeInput("j/b1", letter("j/b1", DeadLetterReason.DUPLICATE, "intake"), T0);

    JobCounts job = jobs.get("job-b");
    assertThat(job.submitted()).isEqualTo(1);
    assertThat(job.answered()).isEqualTo(1);
    assertThat(job.deadLettered()).isZero();
    assertThat(job.labels()).containsExactlyEntriesOf(Map.of("spam", 1L));
    assertThat(job.decisions()).containsExactlyEntriesOf(Map.of("APPROVED", 1L));
  }

  @Test
  void shouldCountAnOutcomeThatArrivesBeforeItsRequestOnceTheRequestIsSeen() {
    approved.pipeInput("j/c1", response("j/c1", "news", 0.7f).build(), T0);
    assertThat(jobs.get("job-c")).isNull();

    inbound.pipeInput("j/c1", inJob("job-c", "j/c1", 1), T0);

    JobCounts job = jobs.get("job-c");
    assertThat(job.submitted()).isEqualTo(1);
    assertThat(job.answered()).isEqualTo(1);
    assertThat(job.decisions()).containsExactlyEntriesOf(Map.of("APPROVED", 1L));
  }

  @Test
  void shouldCountDeadLettersWithReasonsAndExpiredAndFailedAnswers() {
    for (String id : new String[] {"j/d1", "j/d2", "j/d3", "j/d4"}) {
      inbound.pipeInput(id, inJob("job-d", id, 4), T0);
    }
    deadLetters.pipeInput("j/d1", letter("j/d1", DeadLetterReason.EMPTY_TEXT, "intake"), T0);
    deadLetters.pipeInput("j/d2", letter("j/d2", DeadLetterReason.POISON, "worker"), T0);
    responses.pipeInput(
        "j/d3",
        response("j/d3", "x", 0.5f)
            .setStatus(ResponseStatus.EXPIRED)
            .setLabels(java.util.List.of())
            .build(),
        T0);
    responses.pipeInput(
        "j/d4",
        response("j/d4", "x", 0.5f)
            .setStatus(ResponseStatus.FAILED)
            .setLabels(java.util.List.of())
            .build(),
        T0);

    JobCounts job = jobs.get("job-d");
    assertThat(job.deadLettered()).isEqualTo(2);
    assertThat(job.deadLetterReasons())
        .containsExactlyInAnyOrderEntriesOf(Map.of("EMPTY_TEXT", 1L, "POISON", 1L));
    assertThat(job.answered()).isEqualTo(2);
    assertThat(job.expired()).isEqualTo(1);
    assertThat(job.failed()).isEqualTo(1);
    assertThat(job.labels()).isEmpty();
    assertThat(job.done()).isEqualTo(job.submitted());
  }

  @Test
  void shouldIgnoreRequestsOutsideAJobAndDeadLettersOfOtherStages() {
    inbound.pipeInput("j/e1", request("j/e1").build(), T0);
    responses.pipeInput("j/e1", response("j/e1", "spam", 0.9f).build(), T0);
    inbound.pipeInput("j/e2", inJob("job-e", "j/e2", 1), T0);
    deadLetters.pipeInput(
        "j/e2", letter("j/e2", DeadLetterReason.UNMATCHED_FEEDBACK, "feedback"), T0);

    assertThat(jobs.approximateNumEntries()).isEqualTo(1);
    assertThat(jobs.get("job-e").deadLettered()).isZero();
  }

  @Test
  void shouldLeaveNothingInTheLedgerForOutcomesOfRequestsOutsideJobs() {
    responses.pipeInput("plain-id", response("plain-id", "spam", 0.9f).build(), T0);
    approved.pipeInput("plain-id", response("plain-id", "spam", 0.9f).build(), T0);

    KeyValueStore<String, JobRequest> ledger = driver.getKeyValueStore(JobTopology.REQUESTS_STORE);
    assertThat(ledger.approximateNumEntries()).isZero();
  }

  @Test
  void shouldKeepJobsApart() {
    inbound.pipeInput("j/f1", inJob("job-f", "j/f1", 1), T0);
    inbound.pipeInput("j/g1", inJob("job-g", "j/g1", 2), T0);
    responses.pipeInput("j/g1", response("j/g1", "spam", 0.9f).build(), T0);

    assertThat(jobs.get("job-f").answered()).isZero();
    assertThat(jobs.get("job-g").answered()).isEqualTo(1);
    assertThat(jobs.get("job-g").expected()).isEqualTo(2);
  }
}
