package io.expertflow.streams.intake;

import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.request;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.streams.Fixtures;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.Test;

/**
 * The intake's span: a child of the {@code traceparent} the client sent, and the parent the
 * accepted request carries on to the worker; a dead-lettered record's span says why.
 */
class IntakeTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String CLIENT_SPAN = "00f067aa0ba902b7";

  @Test
  void shouldContinueTheClientsTraceAndHandTheIntakeSpanToTheWorker() {
    TopicNames topics = TopicNames.defaults();
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    AvroSerializer<InferenceRequest> serializer = new AvroSerializer<>(registry, false);
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    TestRecord<String, InferenceRequest> out;
    try (Tracing tracing = Tracing.to(exporter, "streams-test");
        TopologyTestDriver driver =
            new TopologyTestDriver(
                IntakeTopology.build(
                    topics,
                    new IntakeConfig(Set.of("acme"), 200, 3, 9, Duration.ofHours(1)),
                    registry,
                    "test",
                    tracing),
                Fixtures.driverProps(
                    "intake-trace-test", registry, topics, "intake", topics.requestsInbound()),
                T0)) {
      TestInputTopic<String, byte[]> inbound =
          driver.createInputTopic(
              topics.requestsInbound(),
              Serdes.String().serializer(),
              Serdes.ByteArray().serializer());
      TestOutputTopic<String, InferenceRequest> accepted =
          driver.createOutputTopic(
              topics.requests(),
              Serdes.String().deserializer(),
              AvroSerdes.value(InferenceRequest.class, registry).deserializer());
      RecordHeaders headers = new RecordHeaders();
      headers.add(
          Tracing.TRACEPARENT,
          ("00-" + TRACE_ID + "-" + CLIENT_SPAN + "-01").getBytes(StandardCharsets.UTF_8));
      InferenceRequest r1 = request("r1").build();
      inbound.pipeInput(
          new TestRecord<>("r1", serializer.serialize(topics.requestsInbound(), r1), headers, T0));
      InferenceRequest badTenant = request("r2").setTenant("mallory").build();
      inbound.pipeInput("r2", serializer.serialize(topics.requestsInbound(), badTenant), T0);
      out = accepted.readRecord();
      spans = exporter.getFinishedSpanItems();
    }

    assertThat(spans).hasSize(2).allMatch(s -> s.getName().equals("expertflow.intake"));
    SpanData admitted = spans.get(0);
    assertThat(admitted.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(admitted.getParentSpanId()).isEqualTo(CLIENT_SPAN);
    assertThat(admitted.getAttributes().get(Tracing.REQUEST_ID)).isEqualTo("r1");
    assertThat(
            new String(
                out.headers().lastHeader(Tracing.TRACEPARENT).value(), StandardCharsets.UTF_8))
        .isEqualTo("00-" + TRACE_ID + "-" + admitted.getSpanId() + "-01");
    SpanData rejected = spans.get(1);
    assertThat(rejected.getParentSpanId()).isEqualTo("0000000000000000");
    assertThat(rejected.getAttributes().asMap().toString()).contains("dead-lettered");
    assertThat(spans.toString()).doesNotContain(Fixtures.SECRET_TEXT);
  }
}
