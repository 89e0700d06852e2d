package io.expertflow.bench;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalFeatures;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.worker.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
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
 * The hot pieces of the worker that are not the encoder, one operation per call: tokenising and
 * chunking a document of about 300 words as the worker does; writing and reading a response record
 * in the wire format (17 labels, 2 experts, a 384-float embedding); the MoE head at the default
 * sizes (E=128, k=2, M=32, 17 labels) on a batch of 32 embeddings, through ONNX Runtime as the
 * worker serves it and through the plain-Java reference the trainer uses; and the TF-IDF model a
 * bundle serves beside the head, weighing one document's words into the head's probabilities as the
 * worker's head batcher does (17 labels, 157,000 buckets in use, about the demo model's size).
 * Throughput in operations per second; see docs/BENCHMARKS.md for the command and the figures.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(1)
@Warmup(iterations = 1, time = 2)
@Measurement(iterations = 2, time = 3)
public class HotPathBenchmark {
  static final String TOPIC = "bench.responses";
  static final int HEAD_BATCH = 32;

  /**
   * Hidden units of each expert of the benchmark's head: 64 as {@code expertflow train} gives, 32
   * as the head's own default ({@link MoeHeadConfig#DEFAULT_EXPERT_HIDDEN}) and the earlier
   * trainer's.
   */
  @Param({"64", "32"})
  public int expertHidden;

  private Path dir;
  private Engine engine;
  private HeadSession head;
  private MoeHeadReference reference;
  private Tokenization tokenization;
  private String document;
  private float[][] embeddings;
  private AvroSerializer<InferenceResponse> serializer;
  private AvroDeserializer<InferenceResponse> deserializer;
  private InferenceResponse response;
  private byte[] encoded;
  private LexicalModel lexical;
  private List<String> labels;
  private float[] headProbabilities;

  @Setup(Level.Trial)
  public void open() throws IOException {
    dir = Files.createTempDirectory("expertflow-hot-path");
    List<String> labels = new ArrayList<>();
    for (int i = 0; i < 17; i++) {
      labels.add("label-" + i);
    }
    MoeHeadConfig defaults = MoeHeadConfig.defaults(labels);
    MoeHeadWeights weights =
        MoeHeadWeights.random(
            new MoeHeadConfig(
                defaults.hidden(),
                defaults.experts(),
                defaults.topK(),
                expertHidden,
                defaults.domains(),
                labels),
            7);
    ModelBundle bundle =
        ModelBundles.minilm(
            dir.resolve("model"), "bench", "1", EncoderVariant.MINILM_L6_V2_INT8, weights);
    tokenization =
        Tokenizations.forBundle(
            bundle,
            WorkerSettings.fromProperties(Map.of("worker.id", "bench", "chunk.max", "4"))
                .chunking());
    document = String.join(" ", java.util.Collections.nCopies(6, EncoderBenchmark.SAMPLE));
    engine =
        Engine.start(
            EngineConfig.defaults()
                .withProvider(ExecutionProvider.CPU)
                .withIntraOpThreads(Integer.getInteger("bench.threads", 1)));
    head = bundle.openHead(engine);
    reference = new MoeHeadReference(weights);
    Random random = new Random(3);
    embeddings = new float[HEAD_BATCH][];
    for (int i = 0; i < HEAD_BATCH; i++) {
      embeddings[i] = unit(random, weights.config().hidden());
    }
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    serializer = new AvroSerializer<>(registry, false);
    deserializer = new AvroDeserializer<>(registry, InferenceResponse.class);
    response = response(labels, embeddings[0]);
    encoded = serializer.serialize(TOPIC, response);
    this.labels = labels;
    lexical = lexical(labels, random);
    headProbabilities = reference.forward(embeddings[0]).probabilities();
  }

  @TearDown(Level.Trial)
  public void close() throws IOException {
    head.close();
    engine.close();
  }

  /** Tokenise and chunk one document of about 300 words, as the worker's tokenizer threads do. */
  @Benchmark
  public TokenizedText tokenizeDocument() {
    return tokenization.tokenize(document);
  }

  /** Write one response record in the Confluent wire format (schema id cached). */
  @Benchmark
  public byte[] serializeResponse() {
    return serializer.serialize(TOPIC, response);
  }

  /** Read one response record back (schema cached). */
  @Benchmark
  public InferenceResponse deserializeResponse() {
    return deserializer.deserialize(TOPIC, encoded);
  }

  /** The served head on 32 embeddings, through ONNX Runtime (one call). */
  @Benchmark
  public List<MoeOutput> headOnnx32() {
    return head.route(embeddings);
  }

  /** The same 32 embeddings through the plain-Java reference forward pass. */
  @Benchmark
  public MoeOutput[] headReference32() {
    MoeOutput[] out = new MoeOutput[embeddings.length];
    for (int i = 0; i < embeddings.length; i++) {
      out[i] = reference.forward(embeddings[i]);
    }
    return out;
  }

  /** The head's probabilities for one document, with its words weighed in by the TF-IDF model. */
  @Benchmark
  public float[] tfidfFuse() {
    return lexical.fuse(labels, headProbabilities, document);
  }

  /**
   * A TF-IDF model of random weights over 60 % of the buckets (157,000: the demo model keeps about
   * that many), so most of a document's words and pairs are looked up and found.
   */
  private static LexicalModel lexical(List<String> labels, Random random) {
    float[] idf = new float[LexicalFeatures.BUCKETS];
    float[][] w = new float[labels.size()][LexicalFeatures.BUCKETS + 1];
    for (int b = 0; b < idf.length; b++) {
      if (random.nextDouble() < 0.6) {
        idf[b] = 1 + random.nextFloat() * 5;
        for (float[] row : w) {
          row[b] = (float) random.nextGaussian();
        }
      }
    }
    return LexicalModel.of(labels, 0.25, idf, w);
  }

  private static float[] unit(Random random, int dim) {
    float[] x = new float[dim];
    double norm = 0;
    for (int i = 0; i < dim; i++) {
      x[i] = (float) random.nextGaussian();
      norm += x[i] * x[i];
    }
    for (int i = 0; i < dim; i++) {
      x[i] /= (float) Math.sqrt(norm);
    }
    return x;
  }

  private static InferenceResponse response(List<String> labels, float[] embedding) {
    List<LabelScore> scores = new ArrayList<>();
    for (String label : labels) {
      scores.add(new LabelScore(label, 1f / labels.size()));
    }
    List<Float> vector = new ArrayList<>();
    for (float v : embedding) {
      vector.add(v);
    }
    return InferenceResponse.newBuilder()
        .setRequestId("request-1")
        .setDocumentId("document-1")
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setStatusReason(null)
        .setLabels(scores)
        .setExperts(List.of(new ExpertGate(3, 0.6f), new ExpertGate(77, 0.4f)))
        .setDomainExpert(1)
        .setModelName("bench")
        .setModelVersion("1")
        .setEmbedding(vector)
        .setInputSha256("0".repeat(64))
        .setChunkCount(3)
        .setTruncated(false)
        .setTimings(new Timings(1L, 2L, 3L, 6L))
        .setWorkerId("bench")
        .setProducedAt(Instant.ofEpochMilli(1_700_000_000_000L))
        .setAttributes(Map.of("source", "bench"))
        .build();
  }
}
