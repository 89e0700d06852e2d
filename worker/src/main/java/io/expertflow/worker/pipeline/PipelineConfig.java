package io.expertflow.worker.pipeline;

import io.expertflow.operators.batching.BatchPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of the inference pipeline.
 *
 * @param encoderBatching dynamic batching of chunks for the encoder
 * @param headBatching dynamic batching of documents for the MoE head
 * @param tokenizerThreads threads that validate and tokenise (the CPU pool)
 * @param tokenizerQueue documents that may wait for a tokenizer thread
 * @param maxTextBytes larger documents are dead-lettered TOO_LARGE
 * @param topLabels labels reported per response, best first
 * @param includeEmbedding whether responses carry the document embedding (feedback needs it)
 * @param tfidf whether to answer with the bundle's TF-IDF model beside the head where the bundle
 *     has one; false serves the head alone
 */
public record PipelineConfig(
    BatchPolicy encoderBatching,
    BatchPolicy headBatching,
    int tokenizerThreads,
    int tokenizerQueue,
    int maxTextBytes,
    int topLabels,
    boolean includeEmbedding,
    boolean tfidf) {

  public static final int DEFAULT_TOKENIZER_THREADS = 1;
  public static final int DEFAULT_TOKENIZER_QUEUE = 10_000;
  public static final int DEFAULT_MAX_TEXT_BYTES = 1 << 20;
  public static final int DEFAULT_TOP_LABELS = 5;

  public PipelineConfig {
    Objects.requireNonNull(encoderBatching, "encoderBatching");
    Objects.requireNonNull(headBatching, "headBatching");
    if (tokenizerThreads < 1 || tokenizerQueue < 1 || maxTextBytes < 1 || topLabels < 1) {
      throw new IllegalArgumentException(
          "tokenizer threads, tokenizer queue, max text bytes and top labels must be >= 1");
    }
  }

  public static PipelineConfig defaults() {
    return new PipelineConfig(
        BatchPolicy.defaults(),
        BatchPolicy.defaults().toBuilder()
            .maxBatchSize(256)
            .maxBatchTokens(256)
            .maxQueueDelay(Duration.ofMillis(1))
            .lengthGrouping(false)
            .build(),
        DEFAULT_TOKENIZER_THREADS,
        DEFAULT_TOKENIZER_QUEUE,
        DEFAULT_MAX_TEXT_BYTES,
        DEFAULT_TOP_LABELS,
        true,
        true);
  }

  public PipelineConfig withEncoderBatching(BatchPolicy policy) {
    return new PipelineConfig(
        policy,
        headBatching,
        tokenizerThreads,
        tokenizerQueue,
        maxTextBytes,
        topLabels,
        includeEmbedding,
        tfidf);
  }

  /** The same settings, answering with or without the bundle's TF-IDF model. */
  public PipelineConfig withTfidf(boolean value) {
    return new PipelineConfig(
        encoderBatching,
        headBatching,
        tokenizerThreads,
        tokenizerQueue,
        maxTextBytes,
        topLabels,
        includeEmbedding,
        value);
  }
}
