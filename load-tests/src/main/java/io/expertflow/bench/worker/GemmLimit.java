package io.expertflow.bench.worker;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.expertflow.model.onnx.OnnxGraph;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.Random;

/**
 * The machine's arithmetic limit for the encoder's work, measured rather than taken from a data
 * sheet: ONNX Runtime's own matrix products (the kernels the encoder runs) at the shape of MiniLM's
 * feed-forward layer (M = 1,024 token rows, a batch of 8 chunks of 128 tokens; K = 384; N = 1,536),
 * with the same intra-op threads as the engine. {@code MatMulInteger} (uint8 x int8, what the int8
 * encoder's linear layers run) and {@code MatMul} (fp32). Each is run for about {@code seconds}
 * after a warm-up; the figure is operations (2·M·K·N per product) per second.
 */
final class GemmLimit {
  static final int M = 1024;
  static final int K = 384;
  static final int N = 1536;

  /**
   * Multiply-accumulates of MiniLM-L6's linear layers per token: 6 layers of Q, K, V and the output
   * projection (4 x 384 x 384) and the feed-forward pair (2 x 384 x 1,536). Attention's own
   * products (2 x T x 384 per token and layer for T tokens) come on top and are not counted.
   */
  static final long LINEAR_MACS_PER_TOKEN = 6L * (4L * 384 * 384 + 2L * 384 * 1536);

  private GemmLimit() {}

  /**
   * @param int8Gops MatMulInteger, 10^9 operations per second
   * @param fp32Gflops MatMul, 10^9 floating-point operations per second
   * @param threads intra-op threads used
   */
  record Result(double int8Gops, double fp32Gflops, int threads) {}

  static Result measure(int threads, double seconds) throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    Random random = new Random(1);
    byte[] weights = new byte[K * N];
    random.nextBytes(weights);
    float[] floatWeights = new float[K * N];
    for (int i = 0; i < floatWeights.length; i++) {
      floatWeights[i] = (float) random.nextGaussian() * 0.05f;
    }
    OnnxGraph q = new OnnxGraph("gemm_int8");
    q.input("a", DataType.UINT8, M, K);
    String b = q.bytes("b", weights, K, N);
    q.opNamed("y", "MatMulInteger", OnnxGraph.in("a", b));
    q.output("y", DataType.INT32, M, N);
    OnnxGraph f = new OnnxGraph("gemm_fp32");
    f.input("a", DataType.FLOAT, M, K);
    String fb = f.floats("b", floatWeights, K, N);
    f.opNamed("y", "MatMul", OnnxGraph.in("a", fb));
    f.output("y", DataType.FLOAT, M, N);
    byte[] a8 = new byte[M * K];
    random.nextBytes(a8);
    float[] a32 = new float[M * K];
    for (int i = 0; i < a32.length; i++) {
      a32[i] = (float) random.nextGaussian();
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(threads);
      options.setInterOpNumThreads(1);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      double int8;
      try (OrtSession s = env.createSession(q.toModelBytes("expertflow-bench"), options);
          OnnxTensor in =
              OnnxTensor.createTensor(
                  env, ByteBuffer.wrap(a8), new long[] {M, K}, ai.onnxruntime.OnnxJavaType.UINT8)) {
        int8 = opsPerSecond(s, Map.of("a", in), seconds);
      }
      double fp32;
      try (OrtSession s = env.createSession(f.toModelBytes("expertflow-bench"), options);
          OnnxTensor in = OnnxTensor.createTensor(env, FloatBuffer.wrap(a32), new long[] {M, K})) {
        fp32 = opsPerSecond(s, Map.of("a", in), seconds);
      }
      return new Result(int8 / 1e9, fp32 / 1e9, threads);
    }
  }

  private static double opsPerSecond(OrtSession s, Map<String, OnnxTensor> in, double seconds)
      throws OrtException {
    for (int i = 0; i < 5; i++) {
      s.run(in).close();
    }
    long start = System.nanoTime();
    long runs = 0;
    while (System.nanoTime() - start < seconds * 1e9) {
      s.run(in).close();
      runs++;
    }
    double elapsed = (System.nanoTime() - start) / 1e9;
    return 2.0 * M * K * N * runs / elapsed;
  }
}
