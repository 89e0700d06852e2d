package io.expertflow.worker;

import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.operators.batching.BatchPolicy;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Every setting of a worker, parsed from one flat map of properties: the keys of {@link
 * WorkerConfig#SETTINGS} plus those of {@link #PIPELINE_SETTINGS}. The CLI turns flags and
 * environment variables into this map, so every knob has one name in all three spellings.
 */
public record WorkerSettings(
    WorkerConfig worker, PipelineConfig pipeline, ChunkingConfig chunking, EngineConfig engine) {

  /** The pipeline, chunking and engine keys. */
  public static final List<WorkerConfig.Setting> PIPELINE_SETTINGS =
      List.of(
          new WorkerConfig.Setting(
              "batch.max.size",
              String.valueOf(BatchPolicy.DEFAULT_MAX_BATCH_SIZE),
              "Most chunks in one encoder batch."),
          new WorkerConfig.Setting(
              "batch.max.delay.ms",
              String.valueOf(BatchPolicy.DEFAULT_MAX_QUEUE_DELAY.toMillis()),
              "Longest a chunk waits for a fuller batch."),
          new WorkerConfig.Setting(
              "batch.max.tokens",
              String.valueOf(BatchPolicy.DEFAULT_MAX_BATCH_TOKENS),
              "Token budget of a batch, padding included (items x longest item)."),
          new WorkerConfig.Setting(
              "batch.length.grouping",
              String.valueOf(BatchPolicy.DEFAULT_LENGTH_GROUPING),
              "Group chunks of similar length so padding stays low."),
          new WorkerConfig.Setting(
              "batch.max.attempts",
              String.valueOf(BatchPolicy.DEFAULT_MAX_ATTEMPTS),
              "Runs of a failing chunk on its own before its document is dead-lettered POISON."),
          new WorkerConfig.Setting(
              "chunk.tokens",
              String.valueOf(ChunkingConfig.DEFAULT_MAX_TOKENS_PER_CHUNK),
              "Tokens per chunk, [CLS] and [SEP] included."),
          new WorkerConfig.Setting(
              "chunk.overlap",
              String.valueOf(ChunkingConfig.DEFAULT_OVERLAP_TOKENS),
              "Tokens shared by consecutive chunks."),
          new WorkerConfig.Setting(
              "chunk.max",
              String.valueOf(ChunkingConfig.DEFAULT_MAX_CHUNKS_PER_DOCUMENT),
              "Chunks per document; longer documents are truncated and the response says so."),
          new WorkerConfig.Setting(
              "tokenizer.threads",
              String.valueOf(PipelineConfig.DEFAULT_TOKENIZER_THREADS),
              "Threads that validate and tokenise documents."),
          new WorkerConfig.Setting(
              "max.text.bytes",
              String.valueOf(PipelineConfig.DEFAULT_MAX_TEXT_BYTES),
              "Larger documents are dead-lettered TOO_LARGE."),
          new WorkerConfig.Setting(
              "engine.provider",
              "auto",
              "cuda, cpu, or auto (CUDA when it loads, else CPU with one log line saying why)."),
          new WorkerConfig.Setting(
              "engine.intra.op.threads",
              String.valueOf(EngineConfig.DEFAULT_INTRA_OP_THREADS),
              "ONNX Runtime threads inside an operator; 0 lets ONNX Runtime choose."),
          new WorkerConfig.Setting(
              "engine.cuda.device",
              String.valueOf(EngineConfig.DEFAULT_CUDA_DEVICE),
              "CUDA device index."),
          new WorkerConfig.Setting(
              "engine.spinning",
              String.valueOf(EngineConfig.DEFAULT_SPINNING),
              "Whether idle ONNX Runtime threads spin; off leaves the cores to the tokenizer and"
                  + " the Kafka clients (on CPU it took a third less CPU per document)."));

  /** Worker keys first, then hot reload keys, then pipeline keys. */
  public static List<WorkerConfig.Setting> all() {
    List<WorkerConfig.Setting> all = new ArrayList<>(WorkerConfig.SETTINGS);
    all.addAll(ReloadConfig.SETTINGS);
    all.addAll(PIPELINE_SETTINGS);
    return Collections.unmodifiableList(all);
  }

  public static WorkerSettings fromProperties(Map<String, String> p) {
    BatchPolicy encoder =
        BatchPolicy.defaults().toBuilder()
            .maxBatchSize(intOf(p, "batch.max.size", BatchPolicy.DEFAULT_MAX_BATCH_SIZE))
            .maxQueueDelay(
                Duration.ofMillis(
                    intOf(
                        p,
                        "batch.max.delay.ms",
                        (int) BatchPolicy.DEFAULT_MAX_QUEUE_DELAY.toMillis())))
            .maxBatchTokens(intOf(p, "batch.max.tokens", BatchPolicy.DEFAULT_MAX_BATCH_TOKENS))
            .lengthGrouping(
                Boolean.parseBoolean(
                    p.getOrDefault(
                        "batch.length.grouping",
                        String.valueOf(BatchPolicy.DEFAULT_LENGTH_GROUPING))))
            .maxAttempts(intOf(p, "batch.max.attempts", BatchPolicy.DEFAULT_MAX_ATTEMPTS))
            .build();
    PipelineConfig d = PipelineConfig.defaults();
    PipelineConfig pipeline =
        new PipelineConfig(
            encoder,
            d.headBatching(),
            intOf(p, "tokenizer.threads", PipelineConfig.DEFAULT_TOKENIZER_THREADS),
            d.tokenizerQueue(),
            intOf(p, "max.text.bytes", PipelineConfig.DEFAULT_MAX_TEXT_BYTES),
            d.topLabels(),
            d.includeEmbedding());
    ChunkingConfig chunking =
        ChunkingConfig.builder()
            .maxTokensPerChunk(
                intOf(p, "chunk.tokens", ChunkingConfig.DEFAULT_MAX_TOKENS_PER_CHUNK))
            .overlapTokens(intOf(p, "chunk.overlap", ChunkingConfig.DEFAULT_OVERLAP_TOKENS))
            .maxChunksPerDocument(
                intOf(p, "chunk.max", ChunkingConfig.DEFAULT_MAX_CHUNKS_PER_DOCUMENT))
            .build();
    EngineConfig engine =
        EngineConfig.defaults()
            .withProvider(ExecutionProvider.parse(p.getOrDefault("engine.provider", "auto")))
            .withIntraOpThreads(
                intOf(p, "engine.intra.op.threads", EngineConfig.DEFAULT_INTRA_OP_THREADS))
            .withCudaDevice(intOf(p, "engine.cuda.device", EngineConfig.DEFAULT_CUDA_DEVICE))
            .withSpinning(
                Boolean.parseBoolean(
                    p.getOrDefault(
                        "engine.spinning", String.valueOf(EngineConfig.DEFAULT_SPINNING))));
    return new WorkerSettings(WorkerConfig.fromProperties(p), pipeline, chunking, engine);
  }

  private static int intOf(Map<String, String> p, String key, int fallback) {
    String v = p.get(key);
    if (v == null || v.isBlank()) {
      return fallback;
    }
    try {
      return Integer.parseInt(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a whole number, was '" + v + "'");
    }
  }
}
