package io.expertflow.model.engine;

import java.util.Objects;

/**
 * How the engine runs ONNX Runtime. Immutable and validated on construction; change one setting
 * with the {@code with*} methods.
 *
 * @param provider where sessions run ({@link #DEFAULT_PROVIDER})
 * @param intraOpThreads threads inside one operator (a MatMul); 0 means one per processor this JVM
 *     may use ({@link #effectiveIntraOpThreads()}; {@link #DEFAULT_INTRA_OP_THREADS})
 * @param interOpThreads threads running independent operators in parallel; 1 runs the graph
 *     sequentially, which suits encoder graphs ({@link #DEFAULT_INTER_OP_THREADS})
 * @param cudaDevice the CUDA device ordinal used when the provider is CUDA ({@link
 *     #DEFAULT_CUDA_DEVICE})
 * @param spinning whether ONNX Runtime's intra-op threads spin while they wait for work ({@link
 *     #DEFAULT_SPINNING})
 */
public record EngineConfig(
    ExecutionProvider provider,
    int intraOpThreads,
    int interOpThreads,
    int cudaDevice,
    boolean spinning) {

  public static final ExecutionProvider DEFAULT_PROVIDER = ExecutionProvider.AUTO;
  public static final int DEFAULT_INTRA_OP_THREADS = 0;
  public static final int DEFAULT_INTER_OP_THREADS = 1;
  public static final int DEFAULT_CUDA_DEVICE = 0;

  /**
   * Off: an idle intra-op thread sleeps instead of spinning. Spinning saves a wake-up per operator
   * when the engine has the cores to itself, but in a worker the tokenizer, the Kafka clients and
   * the batcher share those cores, and a spinning thread takes their time.
   */
  public static final boolean DEFAULT_SPINNING = false;

  public EngineConfig {
    Objects.requireNonNull(provider, "provider");
    if (intraOpThreads < 0) {
      throw new IllegalArgumentException(
          "intraOpThreads must be >= 0 (0 = one per core), was " + intraOpThreads);
    }
    if (interOpThreads < 0) {
      throw new IllegalArgumentException(
          "interOpThreads must be >= 0 (0 = ONNX Runtime's default), was " + interOpThreads);
    }
    if (cudaDevice < 0) {
      throw new IllegalArgumentException("cudaDevice must be >= 0, was " + cudaDevice);
    }
  }

  /** All defaults. */
  public static EngineConfig defaults() {
    return new EngineConfig(
        DEFAULT_PROVIDER,
        DEFAULT_INTRA_OP_THREADS,
        DEFAULT_INTER_OP_THREADS,
        DEFAULT_CUDA_DEVICE,
        DEFAULT_SPINNING);
  }

  public EngineConfig withProvider(ExecutionProvider value) {
    return new EngineConfig(value, intraOpThreads, interOpThreads, cudaDevice, spinning);
  }

  /**
   * The intra-op thread count the engine sets: the configured one, or for 0 the processors this JVM
   * may use ({@link Runtime#availableProcessors()}, which respects container CPU limits). Set
   * explicitly because ONNX Runtime's own choice for 0 was one thread on a 2-core machine: 95
   * chunks/s where 2 threads gave 143 (MiniLM int8, batch 8).
   */
  public int effectiveIntraOpThreads() {
    return intraOpThreads > 0
        ? intraOpThreads
        : Math.max(1, Runtime.getRuntime().availableProcessors());
  }

  public EngineConfig withIntraOpThreads(int value) {
    return new EngineConfig(provider, value, interOpThreads, cudaDevice, spinning);
  }

  public EngineConfig withInterOpThreads(int value) {
    return new EngineConfig(provider, intraOpThreads, value, cudaDevice, spinning);
  }

  public EngineConfig withCudaDevice(int value) {
    return new EngineConfig(provider, intraOpThreads, interOpThreads, value, spinning);
  }

  public EngineConfig withSpinning(boolean value) {
    return new EngineConfig(provider, intraOpThreads, interOpThreads, cudaDevice, value);
  }
}
