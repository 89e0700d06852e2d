package io.expertflow.worker.pipeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.worker.Outcome;
import io.expertflow.worker.RequestContext;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker whose bundle has a TF-IDF model answers with the head and the TF-IDF model together, for
 * documents sent as text and as passages, and keeps the TF-IDF model when a new head version is
 * swapped in; the head's routing is the same either way.
 */
class ModelDocumentProcessorWordModelTest {
  private static final List<String> LABELS = List.of("a", "b", "c");

  @TempDir Path dir;

  /** Reads "refund" as label c, strongly; its weight beside the head is 2. */
  private static LexicalModel refundIsC() {
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[LexicalFeatures.bucket("refund")] = 1;
    float[][] w = new float[LABELS.size()][LexicalFeatures.BUCKETS + 1];
    w[2][LexicalFeatures.bucket("refund")] = 15;
    return LexicalModel.of(LABELS, 2, idf, w);
  }

  @Test
  void shouldAnswerWithTheWordModelBesideTheHead() throws Exception {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), LABELS);
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        EncoderSession encoder = bundle.openEncoder(engine);
        HeadSession head = bundle.openHead(engine);
        HeadSession next = bundle.openHead(engine)) {
      InferenceResponse plain =
          answer(bundle, encoder, new ServingModel("tiny", "v1", head), text());
      ServingModel words =
          new ServingModel("tiny", "v1", head, refundIsC(), bundle.manifest().encoderId());
      InferenceResponse fromText = answer(bundle, encoder, words, text());
      InferenceResponse fromPassages = answer(bundle, encoder, words, passages());
      InferenceResponse afterReload = answer(bundle, encoder, words.withHead("v2", next), text());

      assertThat(top(fromText)).isEqualTo("c");
      assertThat(fromText.getLabels().get(0).getScore()).isGreaterThan(0.99f);
      assertThat(top(fromPassages)).isEqualTo("c");
      assertThat(top(afterReload)).isEqualTo("c");
      assertThat(afterReload.getModelVersion()).isEqualTo("v2");
      // the response names the encoder that made its embedding, across a reload of the head
      assertThat(afterReload.getEncoderId())
          .isEqualTo(fromText.getEncoderId())
          .isEqualTo(bundle.manifest().encoderId());
      assertThat(plain.getEncoderId()).as("a model that does not name its encoder").isNull();
      // the words change the answer, not the routing
      assertThat(fromText.getExperts()).isEqualTo(plain.getExperts());
      assertThat(plain.getLabels().get(0).getScore()).isLessThan(0.99f);
      // the response carries the evidence the words added, so feedback on it can be judged as
      // served; a head alone carries none
      double[] expected = refundIsC().evidence(text().getText().toString(), LABELS);
      assertThat(fromText.getLexicalEvidence()).hasSize(LABELS.size());
      for (int c = 0; c < LABELS.size(); c++) {
        assertThat(fromText.getLexicalEvidence().get(c)).isEqualTo((float) expected[c]);
      }
      assertThat(expected[2]).isGreaterThan(expected[0] + 10);
      assertThat(plain.getLexicalEvidence()).isEmpty();
      // the worker's start line says what answers beside the head
      assertThat(new ServingModel("tiny", "v1", head).besideHead()).isEmpty();
      assertThat(words.besideHead())
          .isEqualTo(" with its TF-IDF model beside the head (weight 2.00, 1 buckets)");
    }
  }

  private static InferenceRequest.Builder text() {
    return InferenceRequest.newBuilder().setText("please refund the invoice that was paid twice");
  }

  private static InferenceRequest.Builder passages() {
    return InferenceRequest.newBuilder()
        .setChunks(List.of("please refund the invoice", "that was paid twice"));
  }

  private static String top(InferenceResponse response) {
    return response.getLabels().stream().map(LabelScore::getLabel).findFirst().orElseThrow();
  }

  private static InferenceResponse answer(
      ModelBundle bundle,
      EncoderSession encoder,
      ServingModel model,
      InferenceRequest.Builder request)
      throws Exception {
    ModelDocumentProcessor processor =
        new ModelDocumentProcessor(
            PipelineConfig.defaults(),
            encoder,
            Tokenizations.forBundle(bundle, ChunkingConfig.defaults()),
            new ServingModelRef(model),
            BatchListener.NONE,
            e -> {},
            Clock.systemUTC(),
            "w1",
            null,
            Tracing.off());
    try {
      Outcome outcome =
          processor
              .process(
                  request
                      .setRequestId("r1")
                      .setDocumentId("d1")
                      .setTenant("acme")
                      .setSubmittedAt(Instant.now())
                      .build(),
                  new RequestContext("requests", 0, 1, System.currentTimeMillis(), null))
              .get(60, TimeUnit.SECONDS);
      assertThat(outcome).isInstanceOf(Outcome.Answered.class);
      return ((Outcome.Answered) outcome).response();
    } finally {
      processor.close();
    }
  }
}
