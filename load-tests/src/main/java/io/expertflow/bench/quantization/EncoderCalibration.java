package io.expertflow.bench.quantization;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import io.expertflow.model.DocumentInference;
import io.expertflow.model.DocumentInference.BatchObserver;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.EncoderFiles;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.onnx.ActivationRanges;
import io.expertflow.model.onnx.StaticQuantization;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.ProgressListener;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.text.ChunkingConfig;
import java.nio.FloatBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Calibrates a static int8 encoder ({@code minilm-l6-v2-int8-static}, {@code
 * e5-small-v2-int8-static}) on the built-in corpora and writes the activation ranges its rewrite
 * reads.
 *
 * <p>Documents are taken per label in id order: even positions calibrate, odd positions evaluate.
 * Each calibration chunk (the worker's chunking: 128 tokens, 16 of overlap) runs alone, so no
 * padding enters the ranges, through the dynamic int8 model with every quantizer's input exposed;
 * the minimum and maximum of each input per chunk are kept. A range rule turns those per-chunk
 * extremes into one range per quantizer ({@code max}: the extremes over all chunks; {@code pNN}:
 * the NN-th percentile of the per-chunk maxima and the mirror percentile of the minima). Each rule
 * is judged by the cosine of its embeddings to a reference on the evaluation chunks, beside the
 * dynamic model's (alone and in batches of 8 in document order, as training embeds). The reference
 * is the fp32 model where one ships (MiniLM), else the dynamic model with each chunk alone, which
 * is what static scales stand in for: one chunk's own ranges, no padding, no neighbours.
 *
 * <p>Usage: {@code EncoderCalibration OUT [CACHE_DIR]}; system properties {@code calib.encoder}
 * (the dynamic int8 encoder to calibrate, default {@code minilm-l6-v2-int8}), {@code calib.docs}
 * (per label and role, default 12), {@code calib.chunks} (per document, default 4), {@code
 * calib.rules} (default {@code max,p99,p90,p50}), {@code calib.rule} (the one written to OUT,
 * default {@code p50}, the best of these by mean and worst cosine).
 */
public final class EncoderCalibration {
  private EncoderCalibration() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 1) {
      System.err.println("usage: EncoderCalibration OUT [CACHE_DIR]");
      System.exit(2);
    }
    Path out = Path.of(args[0]);
    Path cache =
        args.length > 1
            ? Path.of(args[1])
            : Path.of(System.getProperty("user.home"), ".cache", "expertflow");
    int docs = Integer.getInteger("calib.docs", 12);
    int chunksPerDoc = Integer.getInteger("calib.chunks", 4);
    List<String> rules =
        Arrays.asList(System.getProperty("calib.rules", "max,p99,p90,p50").split(","));
    String chosen = System.getProperty("calib.rule", "p50");
    EncoderVariant variant =
        EncoderVariant.parse(System.getProperty("calib.encoder", "minilm-l6-v2-int8"));
    if (variant.staticallyQuantized()) {
      System.err.println(
          "calib.encoder: "
              + variant.id()
              + " is already a static rewrite; name the dynamic model it is made from");
      System.exit(2);
    }
    Optional<EncoderVariant> fp32Variant = fp32Of(variant);
    System.out.println("load average at start: " + loadAverage());

    CorpusSet set =
        CorpusSource.npm(cache, TrainingConfig.DEFAULT_NPM_COMMAND).load(ProgressListener.silent());
    Path work = Files.createTempDirectory("encoder-calibration");
    EncoderFiles dynamic = EncoderFiles.extract(variant, work.resolve("d"));
    ChunkingConfig chunking = ChunkingConfig.builder().maxChunksPerDocument(chunksPerDoc).build();
    Tokenization tokenization =
        Tokenizations.of(dynamic.tokenizer(), chunking, dynamic.signature().prefix());
    List<int[]> calibration = new ArrayList<>();
    List<int[]> evaluation = new ArrayList<>();
    Map<String, Integer> seen = new HashMap<>();
    for (LabeledDocument d : set.documents()) {
      int n = seen.merge(d.label(), 1, Integer::sum) - 1;
      if (n >= 2 * docs) {
        continue;
      }
      List<int[]> chunks = tokenization.tokenize(d.text()).chunks();
      (n % 2 == 0 ? calibration : evaluation).addAll(chunks);
    }
    System.out.printf(
        Locale.ROOT,
        "%d labels, %d calibration chunks, %d evaluation chunks%n",
        seen.size(),
        calibration.size(),
        evaluation.size());

    byte[] source = Files.readAllBytes(dynamic.model());
    List<String> names = StaticQuantization.quantizerInputs(source);
    float[][] mins = new float[names.size()][calibration.size()];
    float[][] maxs = new float[names.size()][calibration.size()];
    long start = System.nanoTime();
    observe(StaticQuantization.exposeQuantizerInputs(source), names, calibration, mins, maxs);
    System.out.printf(
        Locale.ROOT,
        "observed %d quantizers in %.0f s%n",
        names.size(),
        (System.nanoTime() - start) / 1e9);

    EngineConfig config = EngineConfig.defaults().withIntraOpThreads(2);
    try (Engine engine = Engine.start(config)) {
      float[][] alone = embed(engine, dynamic.model(), dynamic, evaluation, 1);
      float[][] reference = alone;
      String against = "dynamic int8 alone";
      if (fp32Variant.isPresent()) {
        EncoderFiles fp32 = EncoderFiles.extract(fp32Variant.get(), work.resolve("f"));
        reference = embed(engine, fp32.model(), fp32, evaluation, 8);
        against = "fp32";
      }
      System.out.println("cosines to " + against);
      if (reference != alone) { // else the line would compare the reference with itself
        report("dynamic int8, each chunk alone", reference, alone);
      }
      report(
          "dynamic int8, batches of 8",
          reference,
          embed(engine, dynamic.model(), dynamic, evaluation, 8));
      for (String rule : rules) {
        ActivationRanges ranges = ranges(source, names, mins, maxs, rule);
        Path model = work.resolve("static-" + rule + ".onnx");
        Files.write(model, StaticQuantization.rewrite(source, ranges));
        report(
            "static int8, rule " + rule, reference, embed(engine, model, dynamic, evaluation, 8));
        if (rule.equals(chosen)) {
          Files.writeString(
              out,
              ranges.format(
                  List.of(
                      "Activation ranges of "
                          + variant.id()
                          + " (langchain4j's -q model), one per DynamicQuantizeLinear input,",
                      "measured by io.expertflow.bench.quantization.EncoderCalibration on "
                          + calibration.size()
                          + " chunks of the built-in corpora, rule "
                          + rule
                          + ".")));
          System.out.println("wrote the ranges of rule " + rule + " to " + out);
        }
      }
    }
    System.out.println("load average at end: " + loadAverage());
  }

  /** The fp32 model of the same encoder, where one ships. */
  private static Optional<EncoderVariant> fp32Of(EncoderVariant variant) {
    return variant == EncoderVariant.MINILM_L6_V2_INT8
        ? Optional.of(EncoderVariant.MINILM_L6_V2_FP32)
        : Optional.empty();
  }

  private static void observe(
      byte[] model, List<String> names, List<int[]> chunks, float[][] mins, float[][] maxs)
      throws OrtException {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(2);
      try (OrtSession session = env.createSession(model, options)) {
        Set<String> wanted = Set.copyOf(names);
        boolean tokenTypes = session.getInputNames().contains("token_type_ids");
        for (int c = 0; c < chunks.size(); c++) {
          int[] chunk = chunks.get(c);
          long[][] ids = {Arrays.stream(chunk).asLongStream().toArray()};
          long[][] ones = {new long[chunk.length]};
          Arrays.fill(ones[0], 1L);
          long[][] zeros = {new long[chunk.length]};
          Map<String, OnnxTensor> inputs = new LinkedHashMap<>();
          try {
            inputs.put("input_ids", OnnxTensor.createTensor(env, ids));
            inputs.put("attention_mask", OnnxTensor.createTensor(env, ones));
            if (tokenTypes) {
              inputs.put("token_type_ids", OnnxTensor.createTensor(env, zeros));
            }
            try (OrtSession.Result result = session.run(inputs, wanted)) {
              for (int q = 0; q < names.size(); q++) {
                OnnxValue v = result.get(names.get(q)).orElseThrow();
                FloatBuffer values = ((OnnxTensor) v).getFloatBuffer();
                float min = Float.POSITIVE_INFINITY;
                float max = Float.NEGATIVE_INFINITY;
                while (values.hasRemaining()) {
                  float x = values.get();
                  min = Math.min(min, x);
                  max = Math.max(max, x);
                }
                mins[q][c] = min;
                maxs[q][c] = max;
              }
            }
          } finally {
            inputs.values().forEach(OnnxTensor::close);
          }
        }
      }
    }
  }

  /** One range per quantizer from the per-chunk extremes, by {@code rule}. */
  static ActivationRanges ranges(
      byte[] source, List<String> names, float[][] mins, float[][] maxs, String rule) {
    Map<String, ActivationRanges.Range> ranges = new LinkedHashMap<>();
    for (int q = 0; q < names.size(); q++) {
      float[] lo = mins[q].clone();
      float[] hi = maxs[q].clone();
      Arrays.sort(lo);
      Arrays.sort(hi);
      float min;
      float max;
      if (rule.equals("max")) {
        min = lo[0];
        max = hi[hi.length - 1];
      } else if (rule.startsWith("p")) {
        double p = Double.parseDouble(rule.substring(1)) / 100;
        int at = (int) Math.min(hi.length - 1, Math.floor(p * (hi.length - 1)));
        min = lo[lo.length - 1 - at];
        max = hi[at];
      } else {
        throw new IllegalArgumentException("unknown range rule " + rule + ": max or pNN");
      }
      ranges.put(names.get(q), new ActivationRanges.Range(min, max));
    }
    return new ActivationRanges(StaticQuantization.sha256(source), ranges);
  }

  private static float[][] embed(
      Engine engine, Path model, EncoderFiles files, List<int[]> chunks, int batch) {
    try (EncoderSession session = engine.openEncoder(model, files.signature())) {
      return new DocumentInference(session, null)
          .embedChunks(chunks, batch, ChunkOrder.IN_ORDER, BatchObserver.NONE);
    }
  }

  private static void report(String what, float[][] reference, float[][] embeddings) {
    double sum = 0;
    double worst = 1;
    for (int i = 0; i < reference.length; i++) {
      double c = cosine(reference[i], embeddings[i]);
      sum += c;
      worst = Math.min(worst, c);
    }
    System.out.printf(
        Locale.ROOT,
        "%-40s cosine: mean %.5f, min %.5f over %d chunks%n",
        what,
        sum / reference.length,
        worst,
        reference.length);
  }

  static double cosine(float[] a, float[] b) {
    double dot = 0;
    double na = 0;
    double nb = 0;
    for (int i = 0; i < a.length; i++) {
      dot += (double) a[i] * b[i];
      na += (double) a[i] * a[i];
      nb += (double) b[i] * b[i];
    }
    return dot / Math.sqrt(na * nb);
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (java.io.IOException e) {
      return "unknown";
    }
  }
}
