package io.expertflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.model.bundle.EncoderResources;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Throughput of the engine alone (no Kafka, no tokenizer): batches of 128-token chunks of English
 * text through the real all-MiniLM-L6-v2 encoder, fp32 and int8, at several batch sizes. Reports
 * batches/s (the primary score) and, as auxiliary counters, chunks/s (one chunk is one document
 * here) and tokens/s. See docs/BENCHMARKS.md for the command and measured figures.
 *
 * <p>System properties: {@code bench.provider} (cpu, cuda, auto; default cpu) and {@code
 * bench.threads} (intra-op threads; default 0 = one per core).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 3)
@Measurement(iterations = 2, time = 5)
public class EncoderBenchmark {
  /** Tokens per chunk, special tokens included. */
  public static final int CHUNK_TOKENS = 128;

  static final String SAMPLE =
      "The committee met on Tuesday to review the annual budget and the plans for the new"
          + " library . Members agreed that the city should spend more on public schools , roads"
          + " and parks , but they could not agree on how to pay for it . Several residents spoke"
          + " about the rising cost of housing and asked the council to act before the end of the"
          + " year . The mayor said that a report would be ready in the spring and that the vote"
          + " would take place after a public hearing . In other news , the local team won its"
          + " third game in a row , and the weather service expects rain for most of the week .";

  @Param({
    "int8-static",
    "int8",
    "fp32",
    "e5-small-v2-static",
    "e5-small-v2",
    "bge-small-en-v1.5-static",
    "bge-small-en-v1.5"
  })
  public String variant;

  @Param({"1", "4", "8", "16", "32", "64"})
  public int batchSize;

  private Path dir;
  private Engine engine;
  private EncoderSession encoder;
  private List<int[]> batch;

  /** Chunks and tokens embedded per second. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Counters {
    public long chunks;
    public long tokens;

    @Setup(Level.Iteration)
    public void reset() {
      chunks = 0;
      tokens = 0;
    }
  }

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("expertflow-bench");
    EncoderResources.extract(EncoderVariant.parse(variant), dir);
    EngineConfig config =
        EngineConfig.defaults()
            .withProvider(ExecutionProvider.parse(System.getProperty("bench.provider", "cpu")))
            .withIntraOpThreads(Integer.getInteger("bench.threads", 0));
    engine = Engine.start(config);
    encoder =
        engine.openEncoder(
            dir.resolve(EncoderResources.ENCODER_FILE), EncoderVariant.parse(variant).signature());
    batch = chunks(vocabularyIds(dir.resolve(EncoderResources.TOKENIZER_FILE)), batchSize);
  }

  @Benchmark
  public float[][] embed(Counters counters) {
    float[][] out = encoder.embed(batch);
    counters.chunks += batch.size();
    counters.tokens += (long) batch.size() * CHUNK_TOKENS;
    return out;
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    encoder.close();
    engine.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Word ids of the sample text (whole words of the vocabulary; all of them are in it). */
  static List<Integer> vocabularyIds(Path tokenizerJson) throws IOException {
    JsonNode vocab =
        new ObjectMapper().readTree(tokenizerJson.toFile()).path("model").path("vocab");
    List<Integer> ids = new ArrayList<>();
    for (String word : SAMPLE.toLowerCase(Locale.ROOT).split("\\s+")) {
      ids.add(vocab.path(word).asInt(vocab.path("[UNK]").asInt()));
    }
    return ids;
  }

  /** {@code n} chunks of {@link #CHUNK_TOKENS} tokens, each starting at a different word. */
  static List<int[]> chunks(List<Integer> words, int n) {
    List<int[]> out = new ArrayList<>(n);
    for (int c = 0; c < n; c++) {
      int[] ids = new int[CHUNK_TOKENS];
      ids[0] = 101;
      for (int t = 1; t < CHUNK_TOKENS - 1; t++) {
        ids[t] = words.get((c * 7 + t) % words.size());
      }
      ids[CHUNK_TOKENS - 1] = 102;
      out.add(ids);
    }
    return out;
  }
}
