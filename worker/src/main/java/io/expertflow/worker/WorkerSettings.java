package io.expertflow.worker;

import static io.expertflow.worker.WorkerKeys.BATCH_LENGTH_GROUPING;
import static io.expertflow.worker.WorkerKeys.BATCH_MAX_ATTEMPTS;
import static io.expertflow.worker.WorkerKeys.BATCH_MAX_DELAY;
import static io.expertflow.worker.WorkerKeys.BATCH_MAX_SIZE;
import static io.expertflow.worker.WorkerKeys.BATCH_MAX_TOKENS;
import static io.expertflow.worker.WorkerKeys.CHUNK_MAX;
import static io.expertflow.worker.WorkerKeys.CHUNK_OVERLAP;
import static io.expertflow.worker.WorkerKeys.CHUNK_TOKENS;
import static io.expertflow.worker.WorkerKeys.ENGINE_CUDA_DEVICE;
import static io.expertflow.worker.WorkerKeys.ENGINE_INTRA_OP_THREADS;
import static io.expertflow.worker.WorkerKeys.ENGINE_PROVIDER;
import static io.expertflow.worker.WorkerKeys.ENGINE_SPINNING;
import static io.expertflow.worker.WorkerKeys.MAX_TEXT_BYTES;
import static io.expertflow.worker.WorkerKeys.TFIDF_ENABLED;
import static io.expertflow.worker.WorkerKeys.TOKENIZER_THREADS;

import io.expertflow.model.engine.EngineConfig;
import io.expertflow.operators.batching.BatchPolicy;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.util.Map;

/**
 * Every setting of a worker, built from its bound {@link SettingValues} (keys of {@link
 * WorkerKeys}). The CLI binds a properties file, environment variables and flags into those values,
 * so every knob has one name in all three spellings.
 */
public record WorkerSettings(
    WorkerConfig worker, PipelineConfig pipeline, ChunkingConfig chunking, EngineConfig engine) {

  /**
   * The settings from properties keyed as in {@link WorkerKeys}; absent keys take defaults.
   *
   * @throws IllegalArgumentException naming an unknown key or a bad value
   */
  public static WorkerSettings fromProperties(Map<String, String> p) {
    return from(SettingValues.of(WorkerKeys.TABLE, p));
  }

  /** The settings from the bound worker values. */
  public static WorkerSettings from(SettingValues v) {
    BatchPolicy encoder =
        BatchPolicy.defaults().toBuilder()
            .maxBatchSize(v.get(BATCH_MAX_SIZE))
            .maxQueueDelay(v.get(BATCH_MAX_DELAY))
            .maxBatchTokens(v.get(BATCH_MAX_TOKENS))
            .lengthGrouping(v.get(BATCH_LENGTH_GROUPING))
            .maxAttempts(v.get(BATCH_MAX_ATTEMPTS))
            .build();
    PipelineConfig d = PipelineConfig.defaults();
    PipelineConfig pipeline =
        new PipelineConfig(
            encoder,
            d.headBatching(),
            v.get(TOKENIZER_THREADS),
            d.tokenizerQueue(),
            v.get(MAX_TEXT_BYTES),
            d.topLabels(),
            d.includeEmbedding(),
            v.get(TFIDF_ENABLED));
    ChunkingConfig chunking =
        ChunkingConfig.builder()
            .maxTokensPerChunk(v.get(CHUNK_TOKENS))
            .overlapTokens(v.get(CHUNK_OVERLAP))
            .maxChunksPerDocument(v.get(CHUNK_MAX))
            .build();
    EngineConfig engine =
        EngineConfig.defaults()
            .withProvider(v.get(ENGINE_PROVIDER))
            .withIntraOpThreads(v.get(ENGINE_INTRA_OP_THREADS))
            .withCudaDevice(v.get(ENGINE_CUDA_DEVICE))
            .withSpinning(v.get(ENGINE_SPINNING));
    return new WorkerSettings(WorkerConfig.from(v), pipeline, chunking, engine);
  }
}
