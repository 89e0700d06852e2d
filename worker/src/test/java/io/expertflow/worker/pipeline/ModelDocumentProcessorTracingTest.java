package io.expertflow.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.worker.Outcome;
import io.expertflow.worker.RequestContext;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.data.LinkData;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Spans of the inference pipeline on the tiny test bundle: a request's span continues the {@code
 * traceparent} its record carried, its encode and head stages are its children, each batch's span
 * links to every request that rode in it and each request links back to its batches (fan-in both
 * ways); no span carries the text.
 */
class ModelDocumentProcessorTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";
  private static final String TEXT = "the quarterly invoice was paid twice, please refund one";

  @TempDir Path dir;

  @Test
  void shouldTraceEachRequestAndLinkItWithTheBatchesItRodeIn() throws Exception {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), List.of("a", "b", "c"));
    InMemorySpanExporter exporter = InMemorySpanExporter.create();
    List<SpanData> spans;
    try (Tracing tracing = Tracing.to(exporter, "worker-test");
        Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        EncoderSession encoder = bundle.openEncoder(engine)) {
      ServingModelRef models =
          new ServingModelRef(new ServingModel("tiny", "v1", bundle.openHead(engine)));
      ModelDocumentProcessor processor =
          new ModelDocumentProcessor(
              PipelineConfig.defaults(),
              encoder,
              Tokenizations.forBundle(bundle, ChunkingConfig.defaults()),
              models,
              BatchListener.NONE,
              e -> {},
              Clock.systemUTC(),
              "w1",
              null,
              tracing);
      List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        String traceparent = i == 0 ? "00-" + TRACE_ID + "-" + PARENT_ID + "-01" : null;
        outcomes.add(
            processor.process(
                InferenceRequest.newBuilder()
                    .setRequestId("r" + i)
                    .setDocumentId("d" + i)
                    .setTenant("acme")
                    .setText(TEXT + " " + i)
                    .setSubmittedAt(Instant.now())
                    .build(),
                new RequestContext("requests", 0, i, System.currentTimeMillis(), traceparent)));
      }
      for (CompletableFuture<Outcome> o : outcomes) {
        assertThat(o.get(60, TimeUnit.SECONDS)).isInstanceOf(Outcome.Answered.class);
      }
      processor.close();
      models.current().head().close();
      spans = exporter.getFinishedSpanItems(); // closing the tracing shuts the exporter down
    }

    List<SpanData> requests = named(spans, "expertflow.request");
    assertThat(requests).hasSize(3);
    SpanData traced =
        requests.stream()
            .filter(s -> "r0".equals(s.getAttributes().get(Tracing.REQUEST_ID)))
            .findFirst()
            .orElseThrow();
    assertThat(traced.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(traced.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(traced.getAttributes().get(Tracing.TENANT)).isEqualTo("acme");

    Set<SpanContext> requestContexts =
        requests.stream().map(SpanData::getSpanContext).collect(Collectors.toSet());
    List<SpanData> encoderBatches = named(spans, "expertflow.encoder.batch");
    List<SpanData> headBatches = named(spans, "expertflow.head.batch");
    assertThat(encoderBatches).isNotEmpty();
    assertThat(headBatches).isNotEmpty();
    // every request is linked from a batch of each kind, and links back to it
    for (List<SpanData> batches : List.of(encoderBatches, headBatches)) {
      Set<SpanContext> linkedRequests =
          batches.stream()
              .flatMap(b -> b.getLinks().stream())
              .map(LinkData::getSpanContext)
              .collect(Collectors.toSet());
      assertThat(linkedRequests).containsAll(requestContexts);
      Set<SpanContext> batchContexts =
          batches.stream().map(SpanData::getSpanContext).collect(Collectors.toSet());
      for (SpanData r : requests) {
        assertThat(r.getLinks())
            .extracting(LinkData::getSpanContext)
            .anyMatch(batchContexts::contains);
      }
    }
    for (String stage : List.of("expertflow.encode", "expertflow.head")) {
      List<SpanData> stages = named(spans, stage);
      assertThat(stages).hasSize(3);
      assertThat(stages)
          .extracting(SpanData::getParentSpanId)
          .containsExactlyInAnyOrderElementsOf(requests.stream().map(SpanData::getSpanId).toList());
      assertThat(stages)
          .allMatch(
              s ->
                  s.getAttributes()
                      .asMap()
                      .containsKey(
                          io.opentelemetry.api.common.AttributeKey.longKey(
                              "expertflow.queue_wait_ms")));
    }
    assertThat(spans.toString()).doesNotContain("quarterly invoice");
  }

  private static List<SpanData> named(List<SpanData> spans, String name) {
    return spans.stream().filter(s -> s.getName().equals(name)).toList();
  }
}
