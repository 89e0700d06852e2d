package io.expertflow.bench;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import io.expertflow.model.bundle.EncoderResources;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.ProgressListener;
import io.expertflow.operators.text.WordPieceTokenizer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * ONNX Runtime's graph optimisation levels on the encoders, side by side in one run: session start
 * time, chunks per second on one batch of 8 real chunks of 128 tokens (intra-op threads one per
 * core; every configuration measured for a second in turn, seven times, the median kept), the
 * largest difference of the output from the default level's, and which fused operators the
 * optimiser put in (read back from the optimised model it saves). Answers "is our optimisation
 * setting the fastest at equal embeddings, and would saving an optimised model once per bundle
 * pay".
 *
 * <p>Usage: {@code EngineOptimisations CACHE_DIR [variants, default
 * minilm-l6-v2-int8,minilm-l6-v2-fp32]}
 */
public final class EngineOptimisations {
  private static final int BATCH = 8;
  private static final int SEQ = 128;
  private static final double SECONDS = 1;
  private static final int PASSES = 7;

  private EngineOptimisations() {}

  public static void main(String[] args) throws Exception {
    Path cache =
        Path.of(args.length > 0 ? args[0] : System.getProperty("user.home") + "/.cache/expertflow");
    List<String> variants =
        List.of((args.length > 1 ? args[1] : "minilm-l6-v2-int8,minilm-l6-v2-fp32").split(","));
    List<LabeledDocument> docs =
        CorpusSource.npm(cache, "npm").load(ProgressListener.silent()).documents();
    int threads = Runtime.getRuntime().availableProcessors();
    System.out.printf(
        "%d threads, batch %d x %d tokens, load %.2f%n%n",
        threads,
        BATCH,
        SEQ,
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    System.out.println(
        "| encoder | optimisation | session start ms | chunks/s, median of "
            + PASSES
            + " interleaved passes (range) | max abs diff vs ALL_OPT | fused operators |");
    System.out.println("| --- | --- | ---: | ---: | ---: | --- |");
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    List<Config> configs = new ArrayList<>();
    for (String v : variants) {
      EncoderVariant variant = EncoderVariant.parse(v);
      Path dir = Files.createTempDirectory("opt-" + variant.id());
      EncoderResources.extract(variant, dir);
      Map<String, OnnxTensor> in = inputs(env, dir, docs);
      float[][][] reference = null;
      for (OptLevel level :
          new OptLevel[] {
            OptLevel.ALL_OPT, OptLevel.NO_OPT, OptLevel.BASIC_OPT, OptLevel.EXTENDED_OPT
          }) {
        Path optimised = dir.resolve("optimised-" + level + ".onnx");
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setOptimizationLevel(level);
        options.setOptimizedModelFilePath(optimised.toString());
        long start = System.nanoTime();
        OrtSession session =
            env.createSession(dir.resolve(EncoderResources.ENCODER_FILE).toString(), options);
        double startMs = (System.nanoTime() - start) / 1e6;
        Map<String, OnnxTensor> own = new java.util.HashMap<>(in);
        own.keySet().retainAll(session.getInputNames());
        float[][][] out;
        try (OrtSession.Result r = session.run(own)) {
          out = (float[][][]) r.get(0).getValue();
        }
        if (reference == null) {
          reference = out;
        }
        configs.add(
            new Config(
                variant.id(),
                level,
                session,
                own,
                startMs,
                maxAbsDiff(reference, out),
                fused(optimised),
                new ArrayList<>()));
      }
    }
    // interleaved: every configuration measured once per pass, so they share the machine's drift
    for (int pass = 0; pass < PASSES; pass++) {
      for (Config c : configs) {
        c.rates().add(chunksPerSecond(c.session(), c.inputs()));
      }
    }
    for (Config c : configs) {
      List<Double> sorted = c.rates().stream().sorted().toList();
      System.out.printf(
          "| %s | %s | %.0f | %.1f (%.1f-%.1f) | %.2e | %s |%n",
          c.encoder(),
          c.level(),
          c.startMs(),
          sorted.get(sorted.size() / 2),
          sorted.get(0),
          sorted.get(sorted.size() - 1),
          c.diff(),
          c.fused());
      c.session().close();
    }
  }

  private record Config(
      String encoder,
      OptLevel level,
      OrtSession session,
      Map<String, OnnxTensor> inputs,
      double startMs,
      double diff,
      String fused,
      List<Double> rates) {}

  private static double chunksPerSecond(OrtSession session, Map<String, OnnxTensor> in)
      throws OrtException {
    session.run(in).close();
    long t0 = System.nanoTime();
    int runs = 0;
    while (System.nanoTime() - t0 < SECONDS * 1e9) {
      session.run(in).close();
      runs++;
    }
    return (double) runs * BATCH / ((System.nanoTime() - t0) / 1e9);
  }

  /** One batch of real chunks of exactly {@value #SEQ} tokens, no padding. */
  private static Map<String, OnnxTensor> inputs(
      OrtEnvironment env, Path dir, List<LabeledDocument> docs) throws Exception {
    WordPieceTokenizer tokenizer =
        WordPieceTokenizer.fromJson(dir.resolve(EncoderResources.TOKENIZER_FILE));
    long[] ids = new long[BATCH * SEQ];
    for (int b = 0, d = 0; b < BATCH; d += 97) {
      int[] t = tokenizer.encode(docs.get(d % docs.size()).text());
      if (t.length < SEQ) {
        continue;
      }
      ids[b * SEQ] = t[0]; // [CLS]
      for (int i = 1; i < SEQ - 1; i++) {
        ids[b * SEQ + i] = t[i];
      }
      ids[b * SEQ + SEQ - 1] = t[t.length - 1]; // [SEP]
      b++;
    }
    long[] mask = new long[BATCH * SEQ];
    java.util.Arrays.fill(mask, 1);
    long[] shape = {BATCH, SEQ};
    Map<String, OnnxTensor> in = new java.util.HashMap<>();
    in.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
    in.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
    in.put(
        "token_type_ids",
        OnnxTensor.createTensor(env, LongBuffer.wrap(new long[BATCH * SEQ]), shape));
    return in;
  }

  private static double maxAbsDiff(float[][][] a, float[][][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        for (int k = 0; k < a[i][j].length; k++) {
          max = Math.max(max, Math.abs(a[i][j][k] - b[i][j][k]));
        }
      }
    }
    return max;
  }

  /** Operators of the optimised model that are ONNX Runtime's fusions (its own domain). */
  private static String fused(Path model) throws Exception {
    if (!Files.exists(model)) {
      return "(not saved)";
    }
    ModelProto m = ModelProto.parseFrom(Files.readAllBytes(model));
    Map<String, Integer> counts = new TreeMap<>();
    for (NodeProto n : m.getGraph().getNodeList()) {
      if (!n.getDomain().isEmpty() && !n.getDomain().equals("ai.onnx")) {
        counts.merge(n.getOpType(), 1, Integer::sum);
      }
    }
    List<String> parts = new ArrayList<>();
    counts.forEach((k, c) -> parts.add(k + " " + c));
    return parts.isEmpty()
        ? "none"
        : String.join(", ", parts) + " (" + m.getGraph().getNodeCount() + " nodes)";
  }
}
