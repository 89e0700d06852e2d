package io.expertflow.streams.feedback;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.feedback;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FeedbackTopologyTest {
  private static final Duration TIMEOUT = Duration.ofMinutes(10);
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<FeedbackEvent> feedbackSerializer =
      new AvroSerializer<>(registry, false);
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceResponse> responses;
  private TestInputTopic<String, byte[]> feedbackIn;
  private TestOutputTopic<String, AttributedFeedback> attributed;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    driver =
        new TopologyTestDriver(
            FeedbackTopology.build(
                topics, new FeedbackConfig(TIMEOUT, Duration.ofDays(30), 50), registry, "test"),
            Fixtures.driverProps("feedback-test", registry, topics, "feedback", topics.feedback()),
            T0);
    responses =
        driver.createInputTopic(
            topics.responses(),
            Serdes.String().serializer(),
            AvroSerdes.value(InferenceResponse.class, registry).serializer());
    feedbackIn =
        driver.createInputTopic(
            topics.feedback(), Serdes.String().serializer(), Serdes.ByteArray().serializer());
    attributed =
        driver.createOutputTopic(
            topics.feedbackAttributed(),
            Serdes.String().deserializer(),
            AvroSerdes.value(AttributedFeedback.class, registry).deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters(),
            Serdes.String().deserializer(),
            AvroSerdes.value(DeadLetter.class, registry).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private void sendFeedback(FeedbackEvent event) {
    feedbackIn.pipeInput(
        event.getRequestId(), feedbackSerializer.serialize(topics.feedback(), event), T0);
  }

  @Test
  void shouldAttributeFeedbackToEveryExpertKeyedByExpertAtEventTime() {
    responses.pipeInput("r1", response("r1", "news", 0.9f).build(), T0);
    Instant eventTime = T0.plus(Duration.ofDays(2));
    sendFeedback(
        feedback("f1", "r1", eventTime).setRating(null).setCorrectedLabel("sports").build());

    List<TestRecord<String, AttributedFeedback>> out = attributed.readRecordsToList();

    assertThat(out).extracting(TestRecord::key).containsExactly("17", "3");
    assertThat(out).extracting(TestRecord::getRecordTime).containsOnly(eventTime);
    AttributedFeedback first = out.get(0).value();
    assertThat(first.getGateWeight()).isEqualTo(0.75f);
    assertThat(first.getPredictedLabel()).isEqualTo("news");
    assertThat(first.getCorrectedLabel()).isEqualTo("sports");
    assertThat(first.getNegative()).isTrue();
    assertThat(first.getEmbedding()).containsExactly(0.6f, 0.8f);
    // the TF-IDF evidence the response carried, by which the update judges feedback as served
    assertThat(first.getLexicalEvidence()).containsExactly(-0.5f, -4f);
    assertThat(first.getModelVersion()).isEqualTo("v1");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldCountFeedbackSentAgainUnderItsIdOnceAndDeadLetterTheCopy() {
    responses.pipeInput("r1", response("r1", "news", 0.9f).build(), T0);
    FeedbackEvent once = feedback("f1", "r1", T0).setCorrectedLabel("sports").build();
    sendFeedback(once);
    sendFeedback(once); // the same file sent again
    sendFeedback(feedback("f2", "r1", T0).setCorrectedLabel("sports").build());
    sendFeedback(feedback("f1", "r2", T0).setRating(1).build()); // another request's f1: parked

    assertThat(attributed.readValuesToList())
        .as("f1 and f2 on r1, two experts each")
        .hasSize(4)
        .extracting(a -> a.getFeedbackId().toString())
        .containsExactly("f1", "f1", "f2", "f2");
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getReason()).isEqualTo(DeadLetterReason.DUPLICATE);
              assertThat(d.getStage()).hasToString(FeedbackTopology.STAGE);
              assertThat(d.getDetail().toString())
                  .contains("feedback f1 on request r1 was received before and counts once");
            });
  }

  @Test
  void shouldHoldFeedbackThatArrivesBeforeItsResponseAndReleaseItWhenTheResponseComes() {
    sendFeedback(feedback("f1", "r1", T0).setRating(1).build());
    assertThat(attributed.isEmpty()).isTrue();

    driver.advanceWallClockTime(TIMEOUT.dividedBy(2));
    responses.pipeInput("r1", response("r1", "news", 0.9f).build(), T0);

    List<AttributedFeedback> out = attributed.readValuesToList();
    assertThat(out).hasSize(2).allSatisfy(a -> assertThat(a.getNegative()).isFalse());
    driver.advanceWallClockTime(TIMEOUT.multipliedBy(2));
    assertThat(deadLetters.isEmpty()).as("released feedback never times out").isTrue();
  }

  @Test
  void shouldDeadLetterFeedbackWhoseResponseNeverComesOnce() {
    sendFeedback(feedback("f1", "r404", T0).build());

    driver.advanceWallClockTime(TIMEOUT.minusSeconds(30));
    assertThat(deadLetters.isEmpty()).isTrue();
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    driver.advanceWallClockTime(TIMEOUT);

    List<TestRecord<String, DeadLetter>> letters = deadLetters.readRecordsToList();
    assertThat(letters).hasSize(1);
    DeadLetter letter = letters.get(0).value();
    assertThat(letters.get(0).key()).isEqualTo("r404");
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNMATCHED_FEEDBACK);
    assertThat(letter.getStage()).isEqualTo("feedback");
    assertThat(letter.getSourceTopic()).isEqualTo(topics.feedback());
    assertThat(letter.getOriginalValue()).isNotNull();

    responses.pipeInput("r404", response("r404", "news", 0.9f).build(), T0);
    assertThat(attributed.isEmpty()).as("dead-lettered feedback is not attributed later").isTrue();
  }

  @Test
  void shouldDeadLetterInvalidFeedbackWithItsProblem() {
    sendFeedback(feedback("f1", "r1", T0).setRating(7).build());

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_FEEDBACK);
    assertThat(letter.getDetail()).contains("rating is 7");
  }

  @Test
  void shouldDeadLetterACorrectedLabelThatNoLabelSetCouldHold() {
    responses.pipeInput("r1", response("r1", "news", 0.9f).build(), T0);
    sendFeedback(feedback("f1", "r1", T0).setRating(null).setCorrectedLabel("spam\r\n").build());

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_FEEDBACK);
    assertThat(letter.getDetail()).contains("corrected_label", "'spam\\r\\n'", "control character");
    assertThat(attributed.isEmpty()).as("the correction never reaches an update").isTrue();
  }

  @Test
  void shouldDeadLetterFeedbackOnAResponseWithoutLabels() {
    responses.pipeInput(
        "r1",
        response("r1", "news", 0.9f).setStatus(ResponseStatus.EXPIRED).setLabels(List.of()).build(),
        T0);
    sendFeedback(feedback("f1", "r1", T0).build());

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_FEEDBACK);
    assertThat(letter.getDetail()).contains("status EXPIRED");
    assertThat(attributed.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterUndecodableFeedback() {
    feedbackIn.pipeInput("r1", "{\"rating\":1}".getBytes(StandardCharsets.UTF_8), T0);

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(letter.getRequestId()).isEqualTo("r1");
  }

  @Test
  void shouldSkipUndecodableResponsesThatComplianceDeadLettersAlready() {
    driver
        .createInputTopic(
            topics.responses(), Serdes.String().serializer(), Serdes.ByteArray().serializer())
        .pipeInput("r1", new byte[] {1, 2, 3}, T0);
    responses.pipeInput("r2", response("r2", "news", 0.9f).build(), T0);
    sendFeedback(feedback("f2", "r2", T0).build());

    assertThat(deadLetters.isEmpty()).isTrue();
    assertThat(attributed.readValuesToList()).hasSize(2);
  }
}
