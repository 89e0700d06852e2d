package io.expertflow.bench.worker;

import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What every benchmark measures with and records beside its figures. */
public final class BenchSetup {
  private BenchSetup() {}

  /**
   * A bundle of {@code variant} and a default-size MoE head (E=128, k=2, M=32) with seeded random
   * weights over 8 labels, in a temporary folder: the benchmarks' model.
   */
  public static ModelBundle bundle(EncoderVariant variant) throws IOException {
    return ModelBundles.minilm(
        Files.createTempDirectory("bench-bundle").resolve("model"),
        "bench",
        "1",
        variant,
        MoeHeadWeights.random(
            MoeHeadConfig.defaults(List.of("a", "b", "c", "d", "e", "f", "g", "h")), 1));
  }

  /** The machine: cores the JVM may use, OS, Java, the largest heap. */
  public static Map<String, Object> machine() {
    Map<String, Object> machine = new LinkedHashMap<>();
    machine.put("cores", Runtime.getRuntime().availableProcessors());
    machine.put(
        "os",
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
    machine.put("java", System.getProperty("java.version"));
    machine.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    return machine;
  }
}
