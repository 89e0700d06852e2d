package io.expertflow.streams.intake;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class IntakeTopologyTest {
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private final AvroSerializer<InferenceRequest> requestSerializer =
      new AvroSerializer<>(registry, false);
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> inbound;
  private TestOutputTopic<String, InferenceRequest> accepted;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    IntakeConfig config =
        new IntakeConfig(Set.of("acme", "globex"), 200, 3, 9, Duration.ofHours(1));
    driver =
        new TopologyTestDriver(
            IntakeTopology.build(topics, config, registry, "test"),
            Fixtures.driverProps(
                "intake-test", registry, topics, "intake", topics.requestsInbound()),
            T0);
    inbound =
        driver.createInputTopic(
            topics.requestsInbound(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    accepted =
        driver.createOutputTopic(
            topics.requests(),
            Serdes.String().deserializer(),
            AvroSerdes.value(InferenceRequest.class, registry).deserializer());
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

  private void send(InferenceRequest request, Instant at) {
    inbound.pipeInput(
        request.getRequestId(), requestSerializer.serialize(topics.requestsInbound(), request), at);
  }

  private DeadLetter onlyDeadLetter() {
    assertThat(accepted.isEmpty()).as("nothing accepted").isTrue();
    List<DeadLetter> letters = deadLetters.readValuesToList();
    assertThat(letters).hasSize(1);
    return letters.get(0);
  }

  @Test
  void shouldForwardAValidRequestKeyedByDocumentIdWithItsHeaders() {
    RecordHeaders headers = new RecordHeaders();
    headers.add("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8));
    InferenceRequest request = request("r1").build();
    inbound.pipeInput(
        new TestRecord<>(
            "r1", requestSerializer.serialize(topics.requestsInbound(), request), headers, T0));

    TestRecord<String, InferenceRequest> out = accepted.readRecord();

    assertThat(out.key()).isEqualTo("doc-r1");
    assertThat(out.value()).isEqualTo(request);
    assertThat(out.headers().lastHeader("traceparent").value())
        .isEqualTo("00-abc-def-01".getBytes(StandardCharsets.UTF_8));
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterUndecodableBytesWithTheOriginalBytesAndSource() {
    byte[] junk = "{\"request_id\":\"r1\"}".getBytes(StandardCharsets.UTF_8);
    inbound.pipeInput("r1", junk, T0);

    DeadLetter letter = onlyDeadLetter();

    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
    assertThat(letter.getStage()).isEqualTo("intake");
    assertThat(letter.getSourceTopic()).isEqualTo(topics.requestsInbound());
    assertThat(letter.getSourcePartition()).isZero();
    assertThat(letter.getSourceOffset()).isZero();
    assertThat(letter.getOriginalValue().array()).isEqualTo(junk);
    assertThat(letter.getRequestId()).isEqualTo("r1");
    assertThat(letter.getDetail()).contains("magic byte");
  }

  @Test
  void shouldDeadLetterATombstone() {
    inbound.pipeInput("r1", null, T0);

    assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNDECODABLE);
  }

  @Test
  void shouldDeadLetterAnUnknownSchemaId() {
    byte[] bytes = requestSerializer.serialize(topics.requestsInbound(), request("r1").build());
    bytes[4] = 99; // schema id 99 is not registered
    inbound.pipeInput("r1", bytes, T0);

    assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
  }

  @Test
  void shouldDeadLetterMissingFields() {
    send(request("r1").setDocumentId(" ").build(), T0);

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.MISSING_FIELD);
    assertThat(letter.getDetail()).contains("document_id");
  }

  @Test
  void shouldDeadLetterEmptyText() {
    send(request("r1").setText("   ").build(), T0);

    assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.EMPTY_TEXT);
  }

  @Test
  void shouldDeadLetterTextAboveTheByteLimitWithoutQuotingIt() {
    send(request("r1").setText("é".repeat(101)).build(), T0); // 202 bytes > 200

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TOO_LARGE);
    assertThat(letter.getDetail()).contains("202 UTF-8 bytes").doesNotContain("é");
  }

  @Test
  void shouldDeadLetterTooManyChunks() {
    send(request("r1").setText(null).setChunks(List.of("a", "b", "c", "d")).build(), T0);

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.TOO_LARGE);
    assertThat(letter.getDetail()).contains("4 chunks");
  }

  @Test
  void shouldAcceptChunksWithinTheLimits() {
    send(request("r1").setText(null).setChunks(List.of("a", "b")).build(), T0);

    assertThat(accepted.readValue().getChunks()).containsExactly("a", "b");
  }

  @Test
  void shouldDeadLetterMalformedUtf8Bytes() {
    String marker = "MARKERTEXT";
    byte[] bytes =
        requestSerializer.serialize(
            topics.requestsInbound(), request("r1").setText(marker).build());
    int at = indexOf(bytes, marker.getBytes(StandardCharsets.UTF_8));
    bytes[at] = (byte) 0xC3; // a lead byte followed by an ASCII byte: malformed
    inbound.pipeInput("r1", bytes, T0);

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_UTF8);
    assertThat(letter.getDetail()).contains("field text");
  }

  @Test
  void shouldAcceptALegitimateReplacementCharacter() {
    send(request("r1").setText("a \uFFFD b").build(), T0);

    assertThat(accepted.readValue().getRequestId()).isEqualTo("r1");
  }

  @Test
  void shouldDeadLetterAnEncodedLoneSurrogate() {
    String marker = "MARKERTEXT";
    byte[] bytes =
        requestSerializer.serialize(
            topics.requestsInbound(), request("r1").setText(marker).build());
    int at = indexOf(bytes, marker.getBytes(StandardCharsets.UTF_8));
    bytes[at] = (byte) 0xED; // ED A0 80 = U+D800 in CESU-8, not valid UTF-8
    bytes[at + 1] = (byte) 0xA0;
    bytes[at + 2] = (byte) 0x80;
    inbound.pipeInput("r1", bytes, T0);

    assertThat(onlyDeadLetter().getReason()).isEqualTo(DeadLetterReason.INVALID_UTF8);
  }

  @Test
  void shouldDeadLetterUnknownTenants() {
    send(request("r1").setTenant("initech").build(), T0);

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_TENANT);
    assertThat(letter.getDetail()).contains("initech");
  }

  @Test
  void shouldDeadLetterARequestWhoseDeadlineHasPassedOnTheDriverClock() {
    send(request("ok").setDeadline(T0.plusSeconds(60)).build(), T0);
    driver.advanceWallClockTime(Duration.ofSeconds(61));
    send(request("late").setDeadline(T0.plusSeconds(60)).build(), T0);

    assertThat(accepted.readValuesToList())
        .extracting(InferenceRequest::getRequestId)
        .containsExactly("ok");
    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.DEADLINE_PASSED);
    assertThat(letter.getRequestId()).isEqualTo("late");
  }

  @Test
  void shouldDeadLetterAPriorityOutOfRange() {
    send(request("r1").setPriority(10).build(), T0);

    DeadLetter letter = onlyDeadLetter();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.INVALID_FIELD);
    assertThat(letter.getDetail()).contains("priority 10");
  }

  @Test
  void shouldDeadLetterDuplicatesWithinTheWindowAndAcceptThemAfterIt() {
    send(request("r1").build(), T0);
    send(request("r1").build(), T0.plus(Duration.ofMinutes(30)));
    send(request("r1").build(), T0.minus(Duration.ofMinutes(10))); // reordered duplicate
    send(request("r1").build(), T0.plus(Duration.ofMinutes(61)));

    assertThat(accepted.readKeyValuesToList())
        .extracting(kv -> kv.key)
        .containsExactly("doc-r1", "doc-r1");
    List<KeyValue<String, DeadLetter>> letters = deadLetters.readKeyValuesToList();
    assertThat(letters).hasSize(2);
    assertThat(letters)
        .allSatisfy(
            kv -> {
              assertThat(kv.key).isEqualTo("r1");
              assertThat(kv.value.getReason()).isEqualTo(DeadLetterReason.DUPLICATE);
              assertThat(kv.value.getDetail()).contains("new request_id");
            });
  }

  @Test
  void shouldNotCountRejectedRequestsAsSeen() {
    send(request("r1").setTenant("initech").build(), T0);
    send(request("r1").build(), T0.plusSeconds(1));

    assertThat(accepted.readValuesToList()).hasSize(1);
    assertThat(deadLetters.readValuesToList())
        .extracting(DeadLetter::getReason)
        .containsExactly(DeadLetterReason.UNKNOWN_TENANT);
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
        return i;
      }
    }
    throw new AssertionError("marker not found");
  }
}
