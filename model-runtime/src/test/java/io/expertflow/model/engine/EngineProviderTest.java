package io.expertflow.model.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Runs where ONNX Runtime has no CUDA provider, as on the CPU-only build machines. */
class EngineProviderTest {
  private final Logger logger = (Logger) LoggerFactory.getLogger(Engine.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  @BeforeEach
  void captureLogs() {
    assumeFalse(
        OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA),
        "this machine's ONNX Runtime has CUDA");
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void releaseLogs() {
    logger.detachAppender(appender);
  }

  @Test
  void shouldFailClearlyWhenCudaIsRequestedWithoutCuda() {
    assertThatThrownBy(
            () -> Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CUDA)))
        .isInstanceOf(EngineException.class)
        .hasMessageContaining("'cuda' was requested")
        .hasMessageContaining("no CUDA execution provider")
        .hasMessageContaining("onnxruntime_gpu")
        .hasMessageContaining("libcudart.so.12")
        .hasMessageContaining("-Donnxruntime.native.path=DIR");
  }

  @Test
  void shouldFallBackToCpuWithExactlyOneLogLineWhenAutoFindsNoCuda() {
    try (Engine engine =
        Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.AUTO))) {
      assertThat(engine.provider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(engine.fallbackReason()).get().asString().contains("no CUDA execution provider");
    }
    List<ILoggingEvent> events = appender.list;
    assertThat(events).hasSize(1);
    assertThat(events.get(0).getLevel()).isEqualTo(Level.WARN);
    assertThat(events.get(0).getFormattedMessage())
        .contains("CUDA unavailable, running on CPU")
        .contains("onnxruntime_gpu");
  }

  @Test
  void shouldRunOnCpuSilentlyWhenCpuIsRequested() {
    try (Engine engine =
        Engine.start(EngineConfig.defaults().withProvider(ExecutionProvider.CPU))) {
      assertThat(engine.provider()).isEqualTo(ExecutionProvider.CPU);
      assertThat(engine.fallbackReason()).isEmpty();
    }
    assertThat(appender.list).isEmpty();
  }

  @Test
  void shouldBuildACudaProbeModelThatOnnxRuntimeRuns() throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession probe = env.createSession(ProviderProbe.identityModel());
        OnnxTensor x = OnnxTensor.createTensor(env, new float[] {4.5f});
        OrtSession.Result y = probe.run(Map.of("x", x))) {
      assertThat((float[]) y.get(0).getValue()).containsExactly(4.5f);
    }
  }

  @Test
  void shouldParseProviderNamesAndRejectUnknownOnes() {
    assertThat(ExecutionProvider.parse("CUDA")).isEqualTo(ExecutionProvider.CUDA);
    assertThat(ExecutionProvider.parse(" auto ")).isEqualTo(ExecutionProvider.AUTO);
    assertThatThrownBy(() -> ExecutionProvider.parse("tpu"))
        .hasMessageContaining("'tpu'")
        .hasMessageContaining("[cpu, cuda, auto]");
  }

  @Test
  void shouldRejectNegativeThreadCounts() {
    assertThatThrownBy(() -> EngineConfig.defaults().withIntraOpThreads(-1))
        .hasMessageContaining("intraOpThreads must be >= 0")
        .hasMessageContaining("-1");
  }
}
