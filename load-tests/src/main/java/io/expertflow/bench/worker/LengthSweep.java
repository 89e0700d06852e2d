package io.expertflow.bench.worker;

import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.WorkerSettings;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The length sweep of {@link WorkerThroughputBenchmark}: one phase per document length. */
final class LengthSweep {
  private LengthSweep() {}

  /**
   * Documents of exactly 1, 4, 16 and 32 chunks (by default), and a mixed stream of them: the
   * engine alone and a worker that accepts {@value LengthDocuments#MAX_CHUNKS} chunks a document,
   * on the same documents, the same chunk budget per length.
   */
  static void run(
      Report report,
      Sweeps sweeps,
      List<String> texts,
      ModelBundle bundle,
      EncoderSession encoder,
      HeadSession head,
      Map<String, String> props,
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      ThreadCpu cpu,
      int batch)
      throws Exception {
    Map<String, String> longer = new HashMap<>(props);
    longer.put("chunk.max", Integer.toString(LengthDocuments.MAX_CHUNKS));
    longer.put("worker.id", "bench-worker-lengths");
    WorkerSettings settings = WorkerSettings.fromProperties(longer);
    Tokenization tokenization = Tokenizations.forBundle(bundle, settings.chunking());
    LengthDocuments documents = new LengthDocuments(texts, tokenization);
    Map<String, List<String>> sets = new java.util.LinkedHashMap<>();
    List<String> mixed = new ArrayList<>();
    for (int n : sweeps.lengths()) {
      List<String> set = documents.ofChunks(n, Math.max(1, sweeps.lengthChunks() / n));
      sets.put(Integer.toString(n), set);
      mixed.addAll(set.subList(0, Math.max(1, set.size() / sweeps.lengths().size())));
    }
    java.util.Collections.shuffle(mixed, new java.util.Random(7));
    sets.put("mixed", mixed);
    try (WorkerRun worker =
        new WorkerRun(
            settings,
            bundle,
            kafka,
            registry,
            WorkerThroughputBenchmark.PREFIX,
            cpu,
            WorkerThroughputBenchmark.PHASE_TIMEOUT)) {
      worker.warmUp(sets.get("mixed").subList(0, Math.min(20, mixed.size())));
      for (Map.Entry<String, List<String>> e : sets.entrySet()) {
        List<TokenizedText> tokenized = e.getValue().stream().map(tokenization::tokenize).toList();
        long chunks = tokenized.stream().mapToLong(t -> t.chunks().size()).sum();
        long tokens =
            tokenized.stream().flatMap(t -> t.chunks().stream()).mapToLong(c -> c.length).sum();
        EngineCeiling.Result c = new EngineCeiling(tokenized, encoder, head).run(batch);
        WorkerRun.Timed w = worker.timed(e.getValue(), "length-" + e.getKey());
        report.length(e.getKey(), e.getValue().size(), chunks, tokens, c, w);
      }
    }
  }
}
