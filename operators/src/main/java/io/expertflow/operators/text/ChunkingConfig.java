package io.expertflow.operators.text;

/**
 * How {@link DocumentChunker} cuts documents into token windows. Immutable; validated when built.
 */
public final class ChunkingConfig {

  /** Tokens per window including {@code [CLS]} and {@code [SEP]}; the encoder's sequence length. */
  public static final int DEFAULT_MAX_TOKENS_PER_CHUNK = 128;

  /** Tokens that consecutive windows share, so no passage loses all its context at a cut. */
  public static final int DEFAULT_OVERLAP_TOKENS = 16;

  /** Windows per document at most; a longer document is truncated and its result says so. */
  public static final int DEFAULT_MAX_CHUNKS_PER_DOCUMENT = 32;

  /** Smallest window: {@code [CLS]}, one token, {@code [SEP]}. */
  public static final int MIN_TOKENS_PER_CHUNK = 3;

  private static final ChunkingConfig DEFAULTS = builder().build();

  private final int maxTokensPerChunk;
  private final int overlapTokens;
  private final int maxChunksPerDocument;

  private ChunkingConfig(Builder b) {
    this.maxTokensPerChunk = b.maxTokensPerChunk;
    this.overlapTokens = b.overlapTokens;
    this.maxChunksPerDocument = b.maxChunksPerDocument;
  }

  public static ChunkingConfig defaults() {
    return DEFAULTS;
  }

  public static Builder builder() {
    return new Builder();
  }

  public int maxTokensPerChunk() {
    return maxTokensPerChunk;
  }

  public int overlapTokens() {
    return overlapTokens;
  }

  public int maxChunksPerDocument() {
    return maxChunksPerDocument;
  }

  /**
   * Document tokens per window: {@link #maxTokensPerChunk()} less {@code [CLS]} and {@code [SEP]}.
   */
  public int contentTokensPerChunk() {
    return maxTokensPerChunk - 2;
  }

  /** How far each window starts after the previous one, in document tokens. */
  public int strideTokens() {
    return contentTokensPerChunk() - overlapTokens;
  }

  /** Document tokens that fit into {@link #maxChunksPerDocument()} windows. */
  public long maxTokensPerDocument() {
    return contentTokensPerChunk() + (long) (maxChunksPerDocument - 1) * strideTokens();
  }

  @Override
  public String toString() {
    return "ChunkingConfig[maxTokensPerChunk="
        + maxTokensPerChunk
        + ", overlapTokens="
        + overlapTokens
        + ", maxChunksPerDocument="
        + maxChunksPerDocument
        + "]";
  }

  /** Builds a {@link ChunkingConfig}, starting from the defaults. Not thread-safe. */
  public static final class Builder {
    private int maxTokensPerChunk = DEFAULT_MAX_TOKENS_PER_CHUNK;
    private int overlapTokens = DEFAULT_OVERLAP_TOKENS;
    private int maxChunksPerDocument = DEFAULT_MAX_CHUNKS_PER_DOCUMENT;

    private Builder() {}

    public Builder maxTokensPerChunk(int maxTokensPerChunk) {
      this.maxTokensPerChunk = maxTokensPerChunk;
      return this;
    }

    public Builder overlapTokens(int overlapTokens) {
      this.overlapTokens = overlapTokens;
      return this;
    }

    public Builder maxChunksPerDocument(int maxChunksPerDocument) {
      this.maxChunksPerDocument = maxChunksPerDocument;
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the setting, its value and the allowed range
     */
    public ChunkingConfig build() {
      if (maxTokensPerChunk < MIN_TOKENS_PER_CHUNK) {
        throw new IllegalArgumentException(
            "maxTokensPerChunk must be at least "
                + MIN_TOKENS_PER_CHUNK
                + " ([CLS], one token, [SEP]), was "
                + maxTokensPerChunk);
      }
      if (overlapTokens < 0 || overlapTokens > maxTokensPerChunk - 3) {
        throw new IllegalArgumentException(
            "overlapTokens must be between 0 and maxTokensPerChunk - 3 = "
                + (maxTokensPerChunk - 3)
                + " so that each window moves on by at least one token, was "
                + overlapTokens
                + "; lower the overlap or raise maxTokensPerChunk");
      }
      if (maxChunksPerDocument < 1) {
        throw new IllegalArgumentException(
            "maxChunksPerDocument must be at least 1, was " + maxChunksPerDocument);
      }
      return new ChunkingConfig(this);
    }
  }
}
