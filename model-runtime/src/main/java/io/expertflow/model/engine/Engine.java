package io.expertflow.model.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.expertflow.operators.moe.MoeHeadConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ONNX Runtime engine: decides once where sessions run ({@link ExecutionProvider}) and opens
 * encoder and head sessions with the configured thread counts.
 *
 * <p>{@link ExecutionProvider#AUTO} tries CUDA and falls back to CPU, logging exactly one WARN line
 * that says why; {@link ExecutionProvider#CUDA} fails with an {@link EngineException} naming what
 * is missing. The decision is taken in {@link #start} and holds for every session of this engine.
 *
 * <p>Thread-safe: sessions may be opened from any thread. Closing the engine does not close the
 * sessions it opened (each is {@link AutoCloseable} on its own); ONNX Runtime's environment is a
 * process-wide singleton and stays open.
 */
public final class Engine implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  private static final String ALLOW_SPINNING = "session.intra_op.allow_spinning";

  private final EngineConfig config;
  private final OrtEnvironment env;
  private final ExecutionProvider provider;
  private final String fallbackReason;

  private Engine(EngineConfig config, ExecutionProvider provider, String fallbackReason) {
    this.config = config;
    this.env = OrtEnvironment.getEnvironment();
    this.provider = provider;
    this.fallbackReason = fallbackReason;
  }

  /**
   * Starts an engine.
   *
   * @throws EngineException if CUDA was requested explicitly and cannot be loaded
   */
  public static Engine start(EngineConfig config) {
    Objects.requireNonNull(config, "config");
    if (config.provider() == ExecutionProvider.CPU) {
      return new Engine(config, ExecutionProvider.CPU, null);
    }
    Optional<String> missing = ProviderProbe.cudaUnavailableReason(config.cudaDevice());
    if (missing.isEmpty()) {
      return new Engine(config, ExecutionProvider.CUDA, null);
    }
    if (config.provider() == ExecutionProvider.CUDA) {
      throw new EngineException(
          "execution provider 'cuda' was requested but " + missing.get() + "; or use 'auto'/'cpu'");
    }
    LOG.warn("execution provider 'auto': CUDA unavailable, running on CPU: {}", missing.get());
    return new Engine(config, ExecutionProvider.CPU, missing.get());
  }

  /** The provider sessions actually run on: {@link ExecutionProvider#CPU} or {@code CUDA}. */
  public ExecutionProvider provider() {
    return provider;
  }

  /** Why {@code auto} fell back to CPU; empty if it did not. */
  public Optional<String> fallbackReason() {
    return Optional.ofNullable(fallbackReason);
  }

  public EngineConfig config() {
    return config;
  }

  /** Opens the sentence encoder stored at {@code model}. */
  public EncoderSession openEncoder(Path model, EncoderSignature signature) {
    return new EncoderSession(env, createSession(model), signature);
  }

  /** Opens an MoE head stored at {@code model}. */
  public HeadSession openHead(Path model, HeadSignature signature, MoeHeadConfig head) {
    return new HeadSession(env, createSession(model), signature, head);
  }

  /** Opens an MoE head from serialized ONNX bytes (a freshly built or updated head). */
  public HeadSession openHead(byte[] model, HeadSignature signature, MoeHeadConfig head) {
    try (OrtSession.SessionOptions options = sessionOptions()) {
      return new HeadSession(env, env.createSession(model, options), signature, head);
    } catch (OrtException e) {
      throw new EngineException("ONNX Runtime could not load the head model: " + e.getMessage(), e);
    }
  }

  private OrtSession createSession(Path model) {
    if (!Files.isRegularFile(model)) {
      throw new EngineException("model file " + model + " does not exist or is not a file");
    }
    try (OrtSession.SessionOptions options = sessionOptions()) {
      return env.createSession(model.toString(), options);
    } catch (OrtException e) {
      throw new EngineException(
          "ONNX Runtime could not load model " + model + ": " + e.getMessage(), e);
    }
  }

  private OrtSession.SessionOptions sessionOptions() throws OrtException {
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    try {
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.setIntraOpNumThreads(config.effectiveIntraOpThreads());
      options.addConfigEntry(ALLOW_SPINNING, config.spinning() ? "1" : "0");
      options.setInterOpNumThreads(config.interOpThreads());
      if (config.interOpThreads() > 1) {
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.PARALLEL);
      }
      if (provider == ExecutionProvider.CUDA) {
        try (OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(config.cudaDevice())) {
          options.addCUDA(cuda);
        }
      }
      return options;
    } catch (OrtException | RuntimeException e) {
      options.close();
      throw e;
    }
  }

  /** Closes a session, keeping a failure to close from hiding the error being reported. */
  static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      LOG.debug("closing an ONNX Runtime session failed", e);
    }
  }

  @Override
  public void close() {
    // sessions own their native memory; the environment is shared by the whole process
  }
}
