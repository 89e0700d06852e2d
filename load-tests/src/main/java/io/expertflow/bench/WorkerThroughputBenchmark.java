package io.expertflow.bench;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.WordPieceTokenization;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.engine.DocumentEmbedding;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.ProgressListener;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.HdrHistogram.Histogram;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Side by side in one run, same model (MiniLM int8 + MoE head) and same documents:
 *
 * <ol>
 *   <li>ceiling: the engine alone, in-process, tokenised documents embedded in batches of 8, 16 and
 *       32 chunks, the best of them;
 *   <li>expertflow: the same documents through Kafka (embedded broker and registry), one
 *       exactly-once worker, every response read back read_committed;
 *   <li>latency: an open-loop feed at half of the measured expertflow rate, end-to-end latency from
 *       submission to the response being readable.
 * </ol>
 *
 * <p>Usage: {@code java -cp ... io.expertflow.bench.WorkerThroughputBenchmark CACHE_DIR [DOCS]
 * [MAX_CHUNKS]} where CACHE_DIR holds the corpora (as {@code expertflow train} fetched them).
 */
public final class WorkerThroughputBenchmark {
  private static final String PREFIX = "bench.";

  public static void main(String[] args) throws Exception {
    Path cache =
        Path.of(args.length > 0 ? args[0] : System.getProperty("user.home") + "/.cache/expertflow");
    int docs = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int maxChunks = args.length > 2 ? Integer.parseInt(args[2]) : 4;
    List<String> texts = texts(cache, docs);
    Path dir = Files.createTempDirectory("bench-bundle");
    MoeHeadConfig head = MoeHeadConfig.defaults(List.of("a", "b", "c", "d", "e", "f", "g", "h"));
    ModelBundle bundle =
        ModelBundles.minilm(
            dir.resolve("model"),
            "bench",
            "1",
            EncoderVariant.MINILM_L6_V2_INT8,
            MoeHeadWeights.random(head, 1));
    ChunkingConfig chunking = ChunkingConfig.builder().maxChunksPerDocument(maxChunks).build();
    WordPieceTokenization tokenization =
        WordPieceTokenization.fromFile(bundle.tokenizerFile(), chunking);
    List<TokenizedText> tokenized = texts.stream().map(tokenization::tokenize).toList();
    long chunks = tokenized.stream().mapToLong(t -> t.chunks().size()).sum();
    System.out.printf("documents %d, chunks %d (max %d per document)%n", docs, chunks, maxChunks);

    int bestBatch = 0;
    double ceiling = 0;
    EngineConfig engineConfig = EngineConfig.defaults().withProvider(ExecutionProvider.AUTO);
    try (Engine engine = Engine.start(engineConfig);
        EncoderSession encoder = bundle.openEncoder(engine);
        HeadSession routing = bundle.openHead(engine)) {
      ceilingRun(tokenized, encoder, routing, 8); // warm-up
      for (int batch : new int[] {8, 16, 32}) {
        double rate = ceilingRun(tokenized, encoder, routing, batch);
        System.out.printf("ceiling batch %2d: %.2f documents/s%n", batch, rate);
        if (rate > ceiling) {
          ceiling = rate;
          bestBatch = batch;
        }
      }
    }

    try (LocalKafkaBroker broker = LocalKafkaBroker.start(LocalKafkaBrokerConfig.defaults());
        LocalSchemaRegistry registryServer = LocalSchemaRegistry.start();
        SchemaRegistryClient registry = HttpSchemaRegistryClient.forUrl(registryServer.url())) {
      Map<String, Object> kafka = Map.of("bootstrap.servers", broker.bootstrapServers());
      try (Admin admin = Admin.create(kafka)) {
        new TopicProvisioner(admin)
            .provision(TopicCatalog.builder().prefix(PREFIX).replicationFactor((short) 1).build());
      }
      Map<String, String> props = new HashMap<>();
      props.put("worker.id", "bench-worker");
      props.put("topic.prefix", PREFIX);
      props.put("batch.max.size", Integer.toString(bestBatch));
      props.put("chunk.max", Integer.toString(maxChunks));
      WorkerSettings settings = WorkerSettings.fromProperties(props);
      try (WorkerApp worker =
          new WorkerApp(
              settings.worker(),
              settings.pipeline(),
              settings.chunking(),
              settings.engine(),
              bundle,
              kafka,
              registry)) {
        Thread loop = new Thread(worker, "bench-worker");
        loop.start();
        try (Feed feed = new Feed(kafka, registry)) {
          feed.run(texts.subList(0, Math.min(16, texts.size())), 0, "warm"); // joins, warms up
          Feed.Result burst = feed.run(texts, 0, "burst");
          double expertflow = docs / burst.seconds();
          Feed.Result paced =
              feed.run(texts.subList(0, Math.min(100, texts.size())), expertflow / 2, "paced");
          System.out.println();
          System.out.println("| measure | value |");
          System.out.println("| --- | --- |");
          System.out.printf(
              "| ceiling (engine alone, best batch %d) | %.2f documents/s |%n", bestBatch, ceiling);
          System.out.printf(
              "| expertflow through Kafka (exactly-once) | %.2f documents/s |%n", expertflow);
          System.out.printf("| ratio expertflow / ceiling | %.2f |%n", expertflow / ceiling);
          System.out.printf(
              "| tokens/s through Kafka | %.0f |%n",
              expertflow * chunks / docs * chunking.maxTokensPerChunk());
          System.out.printf(
              "| open loop at %.2f documents/s: p50 / p99 end-to-end | %d ms / %d ms |%n",
              expertflow / 2,
              paced.latency().getValueAtPercentile(50),
              paced.latency().getValueAtPercentile(99));
          System.out.printf(
              "| lost / duplicates (all feeds) | %d / %d |%n", feed.lost(), feed.duplicates());
          StringBuilder hist = new StringBuilder();
          double[] prev = {0};
          double below = 0;
          for (CountAtBucket b :
              worker
                  .meters()
                  .get("expertflow.worker.batch.size")
                  .summary()
                  .takeSnapshot()
                  .histogramCounts()) {
            if (java.util.Set.of(1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0).contains(b.bucket())) {
              hist.append(
                  String.format(
                      " %.0f-%.0f: %.0f;",
                      below + 1, b.bucket(), b.count() - (hist.isEmpty() ? 0 : prev[0])));
              prev[0] = b.count();
              below = b.bucket();
            }
          }
          System.out.println("| encoder batches by size (all feeds) |" + hist + " |");
        }
      }
    }
  }

  private static double ceilingRun(
      List<TokenizedText> docs, EncoderSession encoder, HeadSession head, int batch) {
    long start = System.nanoTime();
    List<int[]> pending = new ArrayList<>();
    List<float[]> embeddings = new ArrayList<>();
    for (TokenizedText d : docs) {
      pending.addAll(d.chunks());
      while (pending.size() >= batch) {
        embeddings.addAll(List.of(encoder.embed(new ArrayList<>(pending.subList(0, batch)))));
        pending.subList(0, batch).clear();
      }
    }
    if (!pending.isEmpty()) {
      embeddings.addAll(List.of(encoder.embed(pending)));
    }
    int at = 0;
    float[][] documents = new float[docs.size()][];
    for (int i = 0; i < docs.size(); i++) {
      int n = docs.get(i).chunks().size();
      documents[i] =
          DocumentEmbedding.fold(embeddings.subList(at, at + n), docs.get(i).tokenCounts());
      at += n;
    }
    head.route(documents);
    return docs.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static List<String> texts(Path cache, int count) {
    List<LabeledDocument> all =
        CorpusSource.npm(cache, "npm").load(ProgressListener.silent()).documents();
    List<String> out = new ArrayList<>();
    for (int i = 0; i < all.size() && out.size() < count; i += Math.max(1, all.size() / count)) {
      out.add(all.get(i).text());
    }
    return out;
  }

  /** Produces documents (as fast as possible, or at a fixed rate) and waits for every answer. */
  private static final class Feed implements AutoCloseable {
    private final KafkaProducer<String, InferenceRequest> producer;
    private final KafkaConsumer<String, InferenceResponse> consumer;
    private long lost;
    private long duplicates;
    private int run;

    Feed(Map<String, Object> kafka, SchemaRegistryClient registry) {
      producer =
          new KafkaProducer<>(kafka, new StringSerializer(), new AvroSerializer<>(registry, false));
      Map<String, Object> c = new HashMap<>(kafka);
      c.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-reader");
      c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
      consumer =
          new KafkaConsumer<>(
              c,
              new StringDeserializer(),
              new AvroDeserializer<>(registry, InferenceResponse.class));
      consumer.subscribe(List.of(PREFIX + "responses"));
      while (consumer.assignment().isEmpty()) {
        consumer.poll(Duration.ofMillis(100));
      }
    }

    record Result(double seconds, Histogram latency) {}

    Result run(List<String> texts, double ratePerSecond, String name) {
      run++;
      Set<String> waiting = new HashSet<>();
      Set<String> seen = new HashSet<>();
      Histogram latency = new Histogram(3_600_000L, 3);
      long start = System.nanoTime();
      long intervalNanos = ratePerSecond > 0 ? (long) (1e9 / ratePerSecond) : 0;
      int sent = 0;
      while (sent < texts.size() || !waiting.isEmpty()) {
        long now = System.nanoTime();
        while (sent < texts.size() && (intervalNanos == 0 || now - start >= sent * intervalNanos)) {
          String id = name + "-" + run + "-" + sent;
          waiting.add(id);
          producer.send(
              new ProducerRecord<>(
                  PREFIX + "requests",
                  id,
                  InferenceRequest.newBuilder()
                      .setRequestId(id)
                      .setDocumentId(id)
                      .setTenant("bench")
                      .setText(texts.get(sent))
                      .setSubmittedAt(Instant.now())
                      .build()));
          sent++;
        }
        producer.flush();
        for (ConsumerRecord<String, InferenceResponse> r : consumer.poll(Duration.ofMillis(5))) {
          if (!seen.add(r.key())) {
            duplicates++;
          }
          if (waiting.remove(r.key())) {
            long submitted =
                r.value().getProducedAt().toEpochMilli() - r.value().getTimings().getTotalMs();
            latency.recordValue(Math.max(0, System.currentTimeMillis() - submitted));
          }
        }
        if (System.nanoTime() - start > Duration.ofMinutes(20).toNanos()) {
          lost += waiting.size();
          break;
        }
      }
      return new Result((System.nanoTime() - start) / 1e9, latency);
    }

    long lost() {
      return lost;
    }

    long duplicates() {
      return duplicates;
    }

    @Override
    public void close() {
      producer.close();
      consumer.close();
    }
  }
}
