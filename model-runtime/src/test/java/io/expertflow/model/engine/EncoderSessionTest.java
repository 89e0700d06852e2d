package io.expertflow.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.expertflow.model.onnx.TinyEncoderBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderSessionTest {
  @TempDir static Path dir;
  private static Engine engine;
  private static EncoderSession encoder;

  @BeforeAll
  static void openTinyEncoder() throws Exception {
    Path model = Files.write(dir.resolve("tiny.onnx"), TinyEncoderBuilder.build(32, 7L));
    engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
    encoder = engine.openEncoder(model, EncoderSignature.defaults());
  }

  @AfterAll
  static void close() {
    encoder.close();
    engine.close();
  }

  @Test
  void shouldReturnOneUnitLengthEmbeddingPerChunk() {
    float[][] out = encoder.embed(List.of(chunk(5, 1), chunk(40, 2), chunk(1, 3)));

    assertThat(encoder.hiddenSize()).isEqualTo(32);
    assertThat(out).hasDimensions(3, 32);
    for (float[] e : out) {
      assertThat(norm(e)).isCloseTo(1.0, within(1e-5));
    }
  }

  @Test
  void shouldIgnorePaddingSoAChunkEmbedsTheSameAloneAndBesideALongerOne() {
    int[] shortChunk = chunk(6, 11);
    float[] alone = encoder.embed(List.of(shortChunk))[0];
    float[] padded = encoder.embed(List.of(chunk(300, 12), shortChunk))[1];

    for (int i = 0; i < alone.length; i++) {
      assertThat(padded[i]).isCloseTo(alone[i], within(1e-5f));
    }
  }

  @Test
  void shouldEmbedTheSameWhetherItsThreadsSpinOrSleep() {
    List<int[]> batch = List.of(chunk(30, 21), chunk(7, 22));
    EngineConfig base = EngineConfig.defaults().withProvider(ExecutionProvider.CPU);
    assertThat(base.spinning()).as("the default leaves the cores to the worker").isFalse();
    try (Engine spinning = Engine.start(base.withSpinning(true));
        EncoderSession other =
            spinning.openEncoder(dir.resolve("tiny.onnx"), EncoderSignature.defaults())) {
      float[][] expected = encoder.embed(batch);
      float[][] actual = other.embed(batch);
      for (int b = 0; b < expected.length; b++) {
        for (int i = 0; i < expected[b].length; i++) {
          assertThat(actual[b][i]).isCloseTo(expected[b][i], within(1e-6f));
        }
      }
    }
  }

  @Test
  void shouldGiveDifferentTextsDifferentEmbeddings() {
    float[][] out = encoder.embed(List.of(chunk(20, 1), chunk(20, 2)));
    assertThat(dot(out[0], out[1])).isLessThan(0.999);
  }

  @Test
  void shouldServeConcurrentCallersWithTheirOwnBuffers() throws Exception {
    int[] a = chunk(30, 21);
    int[] b = chunk(50, 22);
    float[] wantA = encoder.embed(List.of(a))[0];
    float[] wantB = encoder.embed(List.of(b))[0];
    List<Thread> threads = new ArrayList<>();
    List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int t = 0; t < 4; t++) {
      boolean useA = t % 2 == 0;
      Thread thread =
          new Thread(
              () -> {
                for (int i = 0; i < 25; i++) {
                  float[] got = encoder.embed(List.of(useA ? a : b))[0];
                  if (dot(got, useA ? wantA : wantB) < 0.99999) {
                    failures.add(new AssertionError("embedding changed under concurrency"));
                  }
                }
              });
      threads.add(thread);
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    assertThat(failures).isEmpty();
  }

  @Test
  void shouldRejectAnEmptyBatch() {
    assertThatThrownBy(() -> encoder.embed(List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty batch");
  }

  @Test
  void shouldRejectAChunkLongerThanTheEncoderMaximum() {
    assertThatThrownBy(() -> encoder.embed(List.of(chunk(10, 1), chunk(513, 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk 1 has 513 tokens")
        .hasMessageContaining("maximum of 512");
  }

  @Test
  void shouldRejectAnEmptyChunk() {
    assertThatThrownBy(() -> encoder.embed(List.of(new int[0])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("chunk 0 of the batch has no tokens");
  }

  @Test
  void shouldRefuseAModelWhoseTensorNamesDoNotMatch() throws Exception {
    Path model = Files.write(dir.resolve("tiny2.onnx"), TinyEncoderBuilder.build(8, 1L));
    EncoderSignature wrong =
        new EncoderSignature("ids", "attention_mask", "token_type_ids", "last_hidden_state", 512);
    assertThatThrownBy(() -> engine.openEncoder(model, wrong))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("expected inputs [ids, attention_mask]")
        .hasMessageContaining("input_ids");
  }

  static int[] chunk(int length, long seed) {
    Random random = new Random(seed);
    int[] ids = new int[length];
    for (int i = 0; i < length; i++) {
      ids[i] = 1000 + random.nextInt(TinyEncoderBuilder.VOCAB_SIZE - 1000);
    }
    ids[0] = 101;
    ids[length - 1] = 102;
    return ids;
  }

  static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }
}
