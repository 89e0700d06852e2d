package io.expertflow.model.engine;

import ai.onnx.proto.OnnxMl.TensorProto.DataType;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import io.expertflow.model.onnx.OnnxGraph;
import java.util.Optional;

/** Finds out whether the CUDA provider can be loaded here, and if not, why. */
final class ProviderProbe {
  static final String CUDA_HELP =
      "to run on a GPU, put Microsoft's com.microsoft.onnxruntime:onnxruntime_gpu on the class path"
          + " instead of the CPU jar, with CUDA 12 libraries (libcudart.so.12, cuBLAS 12, cuDNN 9)"
          + " on the library path; or, for CUDA 13, the org.bytedeco:onnxruntime linux-x86_64-gpu"
          + " natives of the same ONNX Runtime version together with the JNI library of"
          + " onnxruntime_gpu (the CPU jar's is built without CUDA) in one folder, passed as"
          + " -Donnxruntime.native.path=DIR";

  private ProviderProbe() {}

  /** The smallest model there is: y = x. */
  static byte[] identityModel() {
    OnnxGraph g = new OnnxGraph("expertflow_cuda_probe");
    g.input("x", DataType.FLOAT, 1);
    g.opNamed("y", "Identity", OnnxGraph.in("x"));
    g.output("y", DataType.FLOAT, 1);
    return g.toModelBytes("expertflow");
  }

  /** Empty when CUDA loads on this device, otherwise why it does not. */
  static Optional<String> cudaUnavailableReason(int device) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return Optional.of(
          "the loaded ONNX Runtime native library has no CUDA execution provider (available: "
              + OrtEnvironment.getAvailableProviders()
              + "); "
              + CUDA_HELP);
    }
    // appending the provider loads its libraries; opening a session initialises the device
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device)) {
      options.addCUDA(cuda);
      try (OrtSession probe =
          OrtEnvironment.getEnvironment().createSession(identityModel(), options)) {
        return Optional.empty();
      }
    } catch (OrtException | RuntimeException e) {
      return Optional.of(
          "the CUDA execution provider could not be loaded for device "
              + device
              + " ("
              + e.getMessage()
              + "); "
              + CUDA_HELP);
    }
  }
}
