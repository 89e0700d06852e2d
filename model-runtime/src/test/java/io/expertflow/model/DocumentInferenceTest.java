package io.expertflow.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.model.DocumentInference.BatchObserver;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DocumentInferenceTest {
  private static final List<String> LABELS = List.of("news", "fiction", "spam", "science");
  private static final List<String> TEXTS =
      List.of(
          "a short note",
          "a much longer text that pads the short one in its batch by many tokens",
          "stocks fell sharply today");

  @TempDir Path dir;

  private Engine engine;
  private EncoderSession encoder;
  private HeadSession head;
  private Tokenization tokenization;

  @BeforeEach
  void open() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("bundle"), LABELS);
    tokenization = new WholeWordTestTokenization(bundle.tokenizerFile(), 8, 4);
    engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
    encoder = bundle.openEncoder(engine);
    head = bundle.openHead(engine);
  }

  @AfterEach
  void close() {
    head.close();
    encoder.close();
    engine.close();
  }

  @Test
  void shouldBatchShortChunksTogetherByLengthAndAnswerInInputOrder() {
    DocumentInference inference = new DocumentInference(encoder, head);
    List<TokenizedText> docs = DocumentInference.tokenize(tokenization, TEXTS);
    List<int[]> chunks = new ArrayList<>();
    docs.forEach(d -> chunks.addAll(d.chunks()));
    List<List<int[]>> batches = new ArrayList<>();

    float[][] byLength = inference.embedChunks(chunks, 2, ChunkOrder.BY_LENGTH, batches::add);
    float[][] inOrder = inference.embedChunks(chunks, 1, ChunkOrder.IN_ORDER, BatchObserver.NONE);

    int previousLongest = 0;
    for (List<int[]> batch : batches) {
      int shortest = batch.stream().mapToInt(c -> c.length).min().orElseThrow();
      assertThat(shortest).isGreaterThanOrEqualTo(previousLongest);
      previousLongest = batch.stream().mapToInt(c -> c.length).max().orElseThrow();
    }
    assertThat(batches.stream().mapToInt(List::size).sum()).isEqualTo(chunks.size());
    for (int c = 0; c < chunks.size(); c++) {
      for (int i = 0; i < inOrder[c].length; i++) {
        assertThat(byLength[c][i])
            .as("chunk %d [%d]", c, i)
            .isCloseTo(inOrder[c][i], within(1e-4f));
      }
    }
  }

  @Test
  void shouldRouteEachTextAsItsFoldedChunksWouldBeRouted() {
    DocumentInference inference = new DocumentInference(encoder, head);
    List<TokenizedText> docs = DocumentInference.tokenize(tokenization, TEXTS);

    List<MoeOutput> routed = inference.infer(docs, 3, ChunkOrder.IN_ORDER, 2, BatchObserver.NONE);

    assertThat(routed).hasSize(TEXTS.size());
    for (int d = 0; d < docs.size(); d++) {
      float[][] chunks =
          inference.embedChunks(docs.get(d).chunks(), 1, ChunkOrder.IN_ORDER, BatchObserver.NONE);
      float[] folded = DocumentInference.fold(docs.get(d), List.of(chunks));
      MoeOutput alone = DocumentInference.route(head, List.of(folded)).get(0);
      assertThat(routed.get(d).experts()).as("text %d", d).containsExactly(alone.experts());
      assertThat(routed.get(d).argmax()).isEqualTo(alone.argmax());
    }
  }

  @Test
  void shouldRefuseToRouteWithoutAHeadAndATextWithoutChunks() {
    DocumentInference encoderOnly = new DocumentInference(encoder, null);

    assertThatThrownBy(() -> encoderOnly.route(new float[][] {new float[4]}, 1))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no head");
    assertThatThrownBy(
            () ->
                DocumentInference.tokenize(
                    t -> new TokenizedText(List.of(), false), List.of("ok", "empty")))
        .hasMessageContaining("text 0 produced no chunks");
  }
}
