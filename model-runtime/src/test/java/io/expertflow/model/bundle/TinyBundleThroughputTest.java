package io.expertflow.model.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.engine.DocumentEmbedding;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.moe.MoeOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tiny test bundle exists so that delivery tests can push thousands of documents quickly. */
class TinyBundleThroughputTest {
  @TempDir Path dir;

  @Test
  void shouldRunTenThousandDocumentsThroughTheTinyBundle() {
    ModelBundle bundle = ModelBundles.tiny(dir, List.of("x", "y", "z", "w"));
    Random random = new Random(5);
    int documents = 10_000;
    int batch = 64;
    int[] expertUse = new int[bundle.headConfig().experts()];
    int done = 0;
    try (Engine engine = Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU));
        EncoderSession encoder = bundle.openEncoder(engine);
        HeadSession head = bundle.openHead(engine)) {
      while (done < documents) {
        List<int[]> chunks = new ArrayList<>(batch);
        for (int i = 0; i < batch; i++) {
          int[] ids = new int[16 + random.nextInt(48)];
          for (int t = 0; t < ids.length; t++) {
            ids[t] = 1000 + random.nextInt(29_000);
          }
          chunks.add(ids);
        }
        float[][] embedded = encoder.embed(chunks);
        float[][] docs = new float[batch][];
        for (int i = 0; i < batch; i++) {
          docs[i] = DocumentEmbedding.fold(List.of(embedded[i]), new int[] {chunks.get(i).length});
        }
        for (MoeOutput o : head.route(docs)) {
          expertUse[o.experts()[0]]++;
        }
        done += batch;
      }
    }
    assertThat(done).isGreaterThanOrEqualTo(documents);
    assertThat(java.util.Arrays.stream(expertUse).sum()).isEqualTo(done);
  }
}
