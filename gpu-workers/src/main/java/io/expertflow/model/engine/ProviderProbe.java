package io.expertflow.model.engine;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.providers.OrtCUDAProviderOptions;
import java.util.Optional;

/** Finds out whether the CUDA provider can be loaded here, and if not, why. */
final class ProviderProbe {
  static final String CUDA_HELP =
      "to run on a GPU, put Microsoft's com.microsoft.onnxruntime:onnxruntime_gpu on the class path"
          + " instead of the CPU jar, with CUDA 12 libraries (libcudart.so.12, cuBLAS 12, cuDNN 9)"
          + " on the library path; or, for CUDA 13, the org.bytedeco:onnxruntime linux-x86_64-gpu"
          + " natives of the same ONNX Runtime version together with Microsoft's JNI library in"
          + " one folder, passed as -Donnxruntime.native.path=DIR";

  private ProviderProbe() {}

  /** Empty when CUDA loads on this device, otherwise why it does not. */
  static Optional<String> cudaUnavailableReason(int device) {
    if (!OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA)) {
      return Optional.of(
          "the loaded ONNX Runtime native library has no CUDA execution provider (available: "
              + OrtEnvironment.getAvailableProviders()
              + "); "
              + CUDA_HELP);
    }
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        OrtCUDAProviderOptions cuda = new OrtCUDAProviderOptions(device)) {
      options.addCUDA(cuda);
      return Optional.empty();
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
