package io.expertflow.bench.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.operators.text.ChunkingConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The engine alone on one device, swept over encoder variants and batch sizes: the ceiling a worker
 * on that device can reach. It needs no broker, registry or corpus cache (documents come from a
 * JSON Lines file with a {@code text} field, as {@code expertflow corpus export} writes), so it
 * runs on a machine that holds nothing but a Java runtime, the class path and the ONNX Runtime
 * natives: the GPU check ({@code load-tests/gpu/run.sh}) uses it.
 *
 * <p>Usage: {@code EngineSweep DOCS.jsonl OUT.json [provider=cuda] [variants=int8,fp32]
 * [batches=8,16,32,64,128,256] [documents=400] [max-chunks=4] [threads=0]}. Each point runs the
 * whole document set once to warm up, then as many passes as fit in about 5 seconds (at least one);
 * the figure is the best pass.
 */
public final class EngineSweep {
  private static final long MIN_NANOS = 5_000_000_000L;

  private EngineSweep() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println(
          "usage: EngineSweep DOCS.jsonl OUT.json [provider=cuda] [variants=int8,fp32]"
              + " [batches=8,16,32] [documents=400] [max-chunks=4] [threads=0]");
      System.exit(2);
    }
    Map<String, String> opts = new LinkedHashMap<>();
    for (int i = 2; i < args.length; i++) {
      String[] kv = args[i].split("=", 2);
      if (kv.length != 2) {
        throw new IllegalArgumentException("expected KEY=VALUE, was " + args[i]);
      }
      opts.put(kv[0], kv[1]);
    }
    ExecutionProvider provider = ExecutionProvider.parse(opts.getOrDefault("provider", "cuda"));
    List<String> variants = List.of(opts.getOrDefault("variants", "int8,fp32").split(","));
    int[] batches =
        Arrays.stream(opts.getOrDefault("batches", "8,16,32,64,128,256").split(","))
            .mapToInt(Integer::parseInt)
            .toArray();
    int documents = Integer.parseInt(opts.getOrDefault("documents", "400"));
    int maxChunks = Integer.parseInt(opts.getOrDefault("max-chunks", "4"));
    int threads = Integer.parseInt(opts.getOrDefault("threads", "0"));
    List<String> texts = texts(Path.of(args[0]), documents);

    Map<String, Object> result = new LinkedHashMap<>();
    Map<String, Object> setup = new LinkedHashMap<>();
    setup.put("started_at", Instant.now().toString());
    setup.put("provider_requested", provider.name().toLowerCase());
    setup.put("documents", texts.size());
    setup.put("max_chunks", maxChunks);
    setup.put("intra_op_threads", threads);
    setup.put("machine", BenchSetup.machine());
    result.put("setup", setup);
    List<Map<String, Object>> points = new ArrayList<>();
    result.put("points", points);

    EngineConfig config = EngineConfig.defaults().withProvider(provider);
    if (threads > 0) {
      config = config.withIntraOpThreads(threads);
    }
    ChunkingConfig chunking = ChunkingConfig.builder().maxChunksPerDocument(maxChunks).build();
    System.out.printf(
        "%-6s %-11s %6s %12s %12s %8s%n",
        "device", "model", "batch", "chunks/s", "documents/s", "padding");
    try (Engine engine = Engine.start(config)) {
      setup.put("provider_used", engine.provider().name().toLowerCase());
      for (String v : variants) {
        EncoderVariant variant = EncoderVariant.parse(v);
        ModelBundle bundle = BenchSetup.bundle(variant);
        Tokenization tokenization = Tokenizations.forBundle(bundle, chunking);
        List<TokenizedText> tokenized = texts.stream().map(tokenization::tokenize).toList();
        long chunks = tokenized.stream().mapToLong(t -> t.chunks().size()).sum();
        try (EncoderSession encoder = bundle.openEncoder(engine);
            HeadSession head = bundle.openHead(engine)) {
          EngineCeiling ceiling = new EngineCeiling(tokenized, encoder, head);
          for (int batch : batches) {
            ceiling.run(batch); // warm-up: sessions, allocator, kernels for these shapes
            EngineCeiling.Result best = null;
            long start = System.nanoTime();
            int passes = 0;
            while (passes == 0 || System.nanoTime() - start < MIN_NANOS) {
              EngineCeiling.Result r = ceiling.run(batch);
              passes++;
              if (best == null || r.documentsPerSecond() > best.documentsPerSecond()) {
                best = r;
              }
            }
            double docsPerSecond = best.documentsPerSecond();
            double chunksPerSecond = docsPerSecond * chunks / tokenized.size();
            System.out.printf(
                "%-6s %-11s %6d %12.1f %12.1f %7.1f%%%n",
                engine.provider().name().toLowerCase(),
                v,
                batch,
                chunksPerSecond,
                docsPerSecond,
                100 * best.paddingWaste());
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("device", engine.provider().name().toLowerCase());
            p.put("encoder", variant.id());
            p.put("batch", batch);
            p.put("passes", passes);
            p.put("chunks", chunks);
            p.put("chunks_per_second", chunksPerSecond);
            p.put("documents_per_second", docsPerSecond);
            p.put("padding_waste", best.paddingWaste());
            points.add(p);
          }
        }
      }
    }
    Files.writeString(
        Path.of(args[1]),
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(result),
        StandardCharsets.UTF_8);
  }

  private static List<String> texts(Path jsonl, int count) throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<String> all = new ArrayList<>();
    for (String line : Files.readAllLines(jsonl, StandardCharsets.UTF_8)) {
      if (!line.isBlank()) {
        JsonNode text = json.readTree(line).get("text");
        if (text != null && text.isTextual()) {
          all.add(text.asText());
        }
      }
    }
    if (all.isEmpty()) {
      throw new IllegalArgumentException(jsonl + " holds no line with a 'text' field");
    }
    // spread over the file: the exports list one label after another
    List<String> out = new ArrayList<>();
    for (int i = 0; i < all.size() && out.size() < count; i += Math.max(1, all.size() / count)) {
      out.add(all.get(i));
    }
    return out;
  }
}
