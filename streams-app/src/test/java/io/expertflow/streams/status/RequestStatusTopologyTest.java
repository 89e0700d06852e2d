package io.expertflow.streams.status;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.request;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.MemoryEvidence;
import io.expertflow.avro.SimilarDocument;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RequestStatusTopologyTest {
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceRequest> requests;
  private TestInputTopic<String, DeadLetter> deadLetters;
  private TestInputTopic<String, InferenceResponse> responses;
  private TestInputTopic<String, InferenceResponse> approved;
  private TestInputTopic<String, InferenceResponse> blocked;
  private KeyValueStore<String, RequestStatus> store;

  @BeforeEach
  void start() {
    driver =
        new TopologyTestDriver(
            RequestStatusTopology.build(topics, registry),
            Fixtures.driverProps("status-test", registry, topics, "status", "none"),
            T0);
    requests = input(topics.requests(), InferenceRequest.class);
    deadLetters = input(topics.deadLetters(), DeadLetter.class);
    responses = input(topics.responses(), InferenceResponse.class);
    approved = input(topics.responsesApproved(), InferenceResponse.class);
    blocked = input(topics.responsesBlocked(), InferenceResponse.class);
    store = driver.getKeyValueStore(RequestStatusTopology.STORE);
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

  static DeadLetter letter(String requestId, DeadLetterReason reason, String stage) {
    return new DeadLetters(stage, "test")
        .create(
            reason,
            "detail of " + reason,
            requestId,
            new SourceRecordRef("t", 0, 1, null, null),
            5);
  }

  @Test
  void shouldFollowARequestFromAcceptedToAnsweredToDecided() {
    requests.pipeInput("doc-r1", request("r1").build(), T0);
    assertThat(store.get("r1").state()).isEqualTo(RequestState.ACCEPTED);
    assertThat(store.get("r1").documentId()).isEqualTo("doc-r1");
    assertThat(store.get("r1").submittedAt()).isEqualTo(T0.toEpochMilli());

    responses.pipeInput("r1", response("r1", "spam", 0.95f).build(), T0);
    RequestStatus answered = store.get("r1");
    assertThat(answered.state()).isEqualTo(RequestState.ANSWERED);
    assertThat(answered.responseStatus()).isEqualTo("OK");
    assertThat(answered.labels()).first().isEqualTo(new RequestStatus.Label("spam", 0.95f));
    assertThat(answered.decision()).isNull();

    blocked.pipeInput("r1", response("r1", "spam", 0.95f).build(), T0);
    assertThat(store.get("r1").decision()).isEqualTo("BLOCKED");
  }

  @Test
  void shouldKeepWhatTheMemoryDidToTheAnswerAndTheEncoderThroughTheDecision() {
    MemoryEvidence evidence =
        MemoryEvidence.newBuilder()
            .setNeighbours(
                List.of(
                    SimilarDocument.newBuilder()
                        .setRequestId("r0")
                        .setSimilarity(0.99f)
                        .setLabel("news")
                        .setCorrected(true)
                        .build(),
                    SimilarDocument.newBuilder()
                        .setRequestId("r-far")
                        .setSimilarity(0.4f)
                        .setLabel("spam")
                        .build()))
            .setNearDuplicate(true)
            .setVoters(1)
            .setWeight(0.5f)
            .setHeadLabel("spam")
            .build();
    InferenceResponse fused =
        response("r5", "news", 0.7f).setMemory(evidence).setEncoderId("minilm@a502").build();

    responses.pipeInput("r5", fused, T0);
    approved.pipeInput("r5", fused, T0);

    RequestStatus status = store.get("r5");
    assertThat(status.decision()).isEqualTo("APPROVED");
    assertThat(status.encoderId()).isEqualTo("minilm@a502");
    assertThat(status.memory())
        .isEqualTo(
            new RequestStatus.Memory(
                true, 1, "spam", new RequestStatus.Nearest("r0", 0.99f, "news", true)));
    responses.pipeInput("r6", response("r6", "news", 0.7f).build(), T0);
    assertThat(store.get("r6").memory()).as("the memory off").isNull();
  }

  @Test
  void shouldReachTheSameStatusWhenUpdatesArriveOutOfOrder() {
    approved.pipeInput("r2", response("r2", "news", 0.9f).build(), T0);
    requests.pipeInput("doc-r2", request("r2").build(), T0);

    RequestStatus status = store.get("r2");
    assertThat(status.state()).isEqualTo(RequestState.ANSWERED);
    assertThat(status.decision()).isEqualTo("APPROVED");
    assertThat(status.submittedAt()).isEqualTo(T0.toEpochMilli());
  }

  @Test
  void shouldRecordDeadLettersWithTheirReason() {
    deadLetters.pipeInput("r3", letter("r3", DeadLetterReason.UNKNOWN_TENANT, "intake"), T0);

    RequestStatus status = store.get("r3");
    assertThat(status.state()).isEqualTo(RequestState.DEAD_LETTERED);
    assertThat(status.deadLetterReason()).isEqualTo("UNKNOWN_TENANT");
    assertThat(status.deadLetterStage()).isEqualTo("intake");
    assertThat(status.deadLetterDetail()).isEqualTo("detail of UNKNOWN_TENANT");
  }

  @Test
  void shouldCountDuplicatesWithoutEndingTheAcceptedRequest() {
    requests.pipeInput("doc-r4", request("r4").build(), T0);
    deadLetters.pipeInput("r4", letter("r4", DeadLetterReason.DUPLICATE, "intake"), T0);
    deadLetters.pipeInput("r4", letter("r4", DeadLetterReason.DUPLICATE, "intake"), T0);

    RequestStatus status = store.get("r4");
    assertThat(status.state()).isEqualTo(RequestState.ACCEPTED);
    assertThat(status.duplicatesRejected()).isEqualTo(2);
    assertThat(status.deadLetterReason()).isNull();
  }

  @Test
  void shouldIgnoreFeedbackDeadLettersAndLettersWithoutRequest() {
    requests.pipeInput("doc-r5", request("r5").build(), T0);
    deadLetters.pipeInput("r5", letter("r5", DeadLetterReason.UNMATCHED_FEEDBACK, "feedback"), T0);
    deadLetters.pipeInput(null, letter(null, DeadLetterReason.UNDECODABLE, "intake"), T0);

    assertThat(store.get("r5").state()).isEqualTo(RequestState.ACCEPTED);
    assertThat(store.approximateNumEntries()).isEqualTo(1);
  }

  @Test
  void shouldKeepAnswerAboveALaterAcceptedUpdate() {
    responses.pipeInput("r6", response("r6", "news", 0.9f).build(), T0);
    requests.pipeInput("doc-r6", request("r6").build(), T0);

    assertThat(store.get("r6").state()).isEqualTo(RequestState.ANSWERED);
  }
}
