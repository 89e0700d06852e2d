package io.expertflow.model;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.DocumentInference.BatchObserver;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.bundle.EncoderResources;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.operators.text.ChunkingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fastest int8 encoder, MiniLM with static activation scales, gives a chunk, and so a document
 * and its answer, the same bits whether it runs alone or in any batch, at any position, beside
 * chunks of any length; the dynamically quantized int8 encoder does not. The same holds for
 * e5-small-v2's static variant, the default, against its published dynamic model.
 */
class BatchInvariantEncoderTest {
  /** Real English prose of different lengths: one sentence to several 128-token chunks. */
  private static final List<String> TEXTS =
      List.of(
          "The committee will meet again on Thursday.",
          "It is a truth universally acknowledged, that a single man in possession of a good"
              + " fortune, must be in want of a wife. However little known the feelings or views of"
              + " such a man may be on his first entering a neighbourhood, this truth is so well"
              + " fixed in the minds of the surrounding families, that he is considered the"
              + " rightful property of some one or other of their daughters.",
          "Four score and seven years ago our fathers brought forth on this continent, a new"
              + " nation, conceived in Liberty, and dedicated to the proposition that all men are"
              + " created equal. Now we are engaged in a great civil war, testing whether that"
              + " nation, or any nation so conceived and so dedicated, can long endure. We are met"
              + " on a great battle-field of that war. We have come to dedicate a portion of that"
              + " field, as a final resting place for those who here gave their lives that that"
              + " nation might live. It is altogether fitting and proper that we should do this."
              + " But, in a larger sense, we can not dedicate, we can not consecrate, we can not"
              + " hallow this ground. The brave men, living and dead, who struggled here, have"
              + " consecrated it, far above our poor power to add or detract. The world will little"
              + " note, nor long remember what we say here, but it can never forget what they did"
              + " here.",
          "Congratulations! You have been selected to receive a free cruise. Call now to claim"
              + " your prize before the offer expires.",
          "When in the Course of human events, it becomes necessary for one people to dissolve"
              + " the political bands which have connected them with another, and to assume among"
              + " the powers of the earth, the separate and equal station to which the Laws of"
              + " Nature and of Nature's God entitle them, a decent respect to the opinions of"
              + " mankind requires that they should declare the causes which impel them to the"
              + " separation.",
          "Stocks fell sharply on Monday as investors weighed new figures on inflation.");

  @TempDir static Path dir;
  private static Engine engine;
  private static ModelBundle bundle;
  private static EncoderSession staticEncoder;
  private static EncoderSession dynamicEncoder;
  private static HeadSession head;
  private static List<TokenizedText> documents;

  @BeforeAll
  static void open() {
    engine =
        Engine.start(
            EngineConfig.defaults().withProvider(ExecutionProvider.CPU).withIntraOpThreads(2));
    MoeHeadConfig config = new MoeHeadConfig(384, 16, 2, 8, 4, List.of("a", "b", "c", "d", "e"));
    bundle =
        ModelBundles.minilm(
            dir.resolve("bundle"),
            "invariance",
            "1",
            EncoderVariant.FASTEST,
            MoeHeadWeights.random(config, 7L));
    staticEncoder = bundle.openEncoder(engine);
    head = bundle.openHead(engine);
    Path dynamic = dir.resolve("dynamic");
    EncoderResources.extract(EncoderVariant.MINILM_L6_V2_INT8, dynamic);
    dynamicEncoder =
        engine.openEncoder(
            dynamic.resolve(EncoderResources.ENCODER_FILE),
            EncoderVariant.MINILM_L6_V2_INT8.signature());
    Tokenization tokenization =
        WordPieceTokenization.fromFile(bundle.tokenizerFile(), ChunkingConfig.defaults());
    documents = DocumentInference.tokenize(tokenization, TEXTS);
  }

  @AfterAll
  static void close() {
    head.close();
    dynamicEncoder.close();
    staticEncoder.close();
    engine.close();
  }

  @Test
  void shouldTrainWithAStaticallyQuantizedEncoderByDefault() {
    assertThat(bundle.manifest().encoderVariant()).isEqualTo("minilm-l6-v2-int8-static");
    assertThat(EncoderVariant.parse("int8-static")).isEqualTo(EncoderVariant.FASTEST);
    assertThat(EncoderVariant.DEFAULT.id()).isEqualTo("e5-small-v2-int8-static");
    assertThat(EncoderVariant.parse("e5-small-v2-static")).isEqualTo(EncoderVariant.DEFAULT);
    assertThat(EncoderVariant.parse("int8")).isEqualTo(EncoderVariant.MINILM_L6_V2_INT8);
    assertThat(allChunks()).hasSizeGreaterThan(TEXTS.size());
  }

  @Test
  void shouldEmbedEveryChunkBitIdenticallyAloneAndInAnyBatch() {
    List<int[]> chunks = allChunks();
    float[][] alone = alone(staticEncoder, chunks);

    for (List<Integer> order : orders(chunks.size())) {
      List<int[]> shuffled = order.stream().map(chunks::get).toList();
      for (int batch : new int[] {2, 3, 5, 32}) {
        for (ChunkOrder grouping : ChunkOrder.values()) {
          float[][] got =
              new DocumentInference(staticEncoder, null)
                  .embedChunks(shuffled, batch, grouping, BatchObserver.NONE);
          for (int i = 0; i < got.length; i++) {
            assertThat(Arrays.equals(got[i], alone[order.get(i)]))
                .as("chunk %d at position %d of batches of %d", order.get(i), i, batch)
                .isTrue();
          }
        }
      }
    }
  }

  @Test
  void shouldAnswerEveryDocumentBitIdenticallyAloneAndInAnyBatch() {
    DocumentInference inference = new DocumentInference(staticEncoder, head);
    List<MoeOutput> alone = new ArrayList<>();
    for (TokenizedText document : documents) {
      alone.add(
          inference.infer(List.of(document), 8, ChunkOrder.IN_ORDER, 1, BatchObserver.NONE).get(0));
    }

    for (List<Integer> order : orders(documents.size())) {
      List<TokenizedText> shuffled = order.stream().map(documents::get).toList();
      for (int batch : new int[] {4, 8, 32}) {
        List<MoeOutput> got =
            inference.infer(shuffled, batch, ChunkOrder.BY_LENGTH, 32, BatchObserver.NONE);
        for (int i = 0; i < got.size(); i++) {
          MoeOutput want = alone.get(order.get(i));
          assertThat(Arrays.equals(got.get(i).probabilities(), want.probabilities()))
              .as("scores of document %d in batches of %d", order.get(i), batch)
              .isTrue();
          assertThat(got.get(i).argmax()).isEqualTo(want.argmax());
          assertThat(got.get(i).experts()).isEqualTo(want.experts());
          assertThat(Arrays.equals(got.get(i).gates(), want.gates())).isTrue();
        }
      }
    }
  }

  @Test
  void shouldShowThatTheDynamicEncoderDependsOnItsBatch() {
    List<int[]> chunks = allChunks();
    float[][] alone = alone(dynamicEncoder, chunks);
    float[][] together =
        new DocumentInference(dynamicEncoder, null)
            .embedChunks(chunks, 32, ChunkOrder.IN_ORDER, BatchObserver.NONE);

    long differing =
        IntStream.range(0, chunks.size())
            .filter(i -> !Arrays.equals(alone[i], together[i]))
            .count();
    assertThat(differing).isGreaterThan(0);
  }

  @ParameterizedTest
  @CsvSource({
    "E5_SMALL_V2_INT8_STATIC, E5_SMALL_V2_INT8",
    "BGE_SMALL_EN_V15_INT8_STATIC, BGE_SMALL_EN_V15_INT8"
  })
  void shouldEmbedWithA12LayerStaticModelBitIdenticallyInAnyBatchWhereItsDynamicModelDoesNot(
      EncoderVariant staticVariant, EncoderVariant dynamicVariant) {
    Path staticDir = dir.resolve(staticVariant.id());
    Path dynamicDir = dir.resolve(dynamicVariant.id());
    EncoderResources.extract(staticVariant, staticDir);
    EncoderResources.extract(dynamicVariant, dynamicDir);
    Tokenization tokenization =
        Tokenizations.of(
            staticDir.resolve(EncoderResources.TOKENIZER_FILE),
            ChunkingConfig.defaults(),
            staticVariant.signature().prefix());
    List<int[]> chunks = new ArrayList<>();
    DocumentInference.tokenize(tokenization, TEXTS).forEach(d -> chunks.addAll(d.chunks()));
    try (EncoderSession fixed =
            engine.openEncoder(
                staticDir.resolve(EncoderResources.ENCODER_FILE), staticVariant.signature());
        EncoderSession dynamic =
            engine.openEncoder(
                dynamicDir.resolve(EncoderResources.ENCODER_FILE), dynamicVariant.signature())) {
      float[][] alone = alone(fixed, chunks);
      for (List<Integer> order : orders(chunks.size())) {
        List<int[]> shuffled = order.stream().map(chunks::get).toList();
        for (int batch : new int[] {3, 32}) {
          float[][] got =
              new DocumentInference(fixed, null)
                  .embedChunks(shuffled, batch, ChunkOrder.BY_LENGTH, BatchObserver.NONE);
          for (int i = 0; i < got.length; i++) {
            assertThat(Arrays.equals(got[i], alone[order.get(i)]))
                .as(
                    "%s chunk %d at position %d of batches of %d",
                    staticVariant.id(), order.get(i), i, batch)
                .isTrue();
          }
        }
      }
      float[][] dynamicAlone = alone(dynamic, chunks);
      float[][] dynamicTogether =
          new DocumentInference(dynamic, null)
              .embedChunks(chunks, 32, ChunkOrder.IN_ORDER, BatchObserver.NONE);
      assertThat(
              IntStream.range(0, chunks.size())
                  .filter(i -> !Arrays.equals(dynamicAlone[i], dynamicTogether[i]))
                  .count())
          .isGreaterThan(0);
    }
  }

  private static List<int[]> allChunks() {
    List<int[]> chunks = new ArrayList<>();
    documents.forEach(d -> chunks.addAll(d.chunks()));
    return chunks;
  }

  private static float[][] alone(EncoderSession encoder, List<int[]> chunks) {
    float[][] out = new float[chunks.size()][];
    for (int i = 0; i < out.length; i++) {
      out[i] = encoder.embed(List.of(chunks.get(i)))[0];
    }
    return out;
  }

  /** In order, reversed and two seeded shuffles. */
  private static List<List<Integer>> orders(int n) {
    List<Integer> forward = IntStream.range(0, n).boxed().toList();
    List<Integer> reversed = new ArrayList<>(forward);
    Collections.reverse(reversed);
    List<List<Integer>> orders = new ArrayList<>(List.of(forward, reversed));
    for (long seed : new long[] {1L, 2L}) {
      List<Integer> shuffled = new ArrayList<>(forward);
      Collections.shuffle(shuffled, new Random(seed));
      orders.add(shuffled);
    }
    return orders;
  }
}
