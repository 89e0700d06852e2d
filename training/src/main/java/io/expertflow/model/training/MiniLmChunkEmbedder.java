package io.expertflow.model.training;

import io.expertflow.model.DocumentInference;
import io.expertflow.model.DocumentInference.BatchObserver;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.RejectedInputException;
import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.TokenizedText;
import io.expertflow.model.WordPieceTokenization;
import io.expertflow.model.bundle.EncoderFiles;
import io.expertflow.model.bundle.EncoderVariant;
import io.expertflow.model.corpus.NpmPackageFetcher;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.operators.text.ChunkingConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A {@link ChunkEmbedder} over a shipped sentence encoder (MiniLM, e5, bge: {@link EncoderVariant},
 * with its pooling and input prefix) that cuts and embeds documents exactly as a worker does (the
 * same {@link WordPieceTokenization} and chunking settings, the encoder half of the offline {@link
 * DocumentInference} path), so the head trains on the embeddings it will serve. Not thread-safe;
 * owns its encoder session and closes it in {@link #close}.
 */
public final class MiniLmChunkEmbedder implements ChunkEmbedder, AutoCloseable {
  public static final int DEFAULT_BATCH_SIZE = 8;

  private final Path tokenizerJson;
  private final ChunkingConfig chunking;
  private final EncoderSession encoder;
  private final String cacheKey;
  private final int batchSize;
  private final DocumentInference inference;
  private final Map<Integer, Tokenization> tokenizations = new HashMap<>();
  private final String prefix;

  /**
   * Extracts the encoder and tokenizer of {@code variant} into {@code workDir} and opens the
   * encoder on {@code engine}.
   *
   * @param chunking the worker's chunking; its per-document chunk limit is the upper bound of
   *     {@link #embed}'s {@code maxChunks}
   */
  public MiniLmChunkEmbedder(
      EncoderVariant variant, Path workDir, Engine engine, ChunkingConfig chunking, int batchSize) {
    this(EncoderFiles.extract(variant, workDir), engine, chunking, batchSize);
  }

  /** Opens the encoder of {@code files} (a shipped one, or a user's export) on {@code engine}. */
  public MiniLmChunkEmbedder(
      EncoderFiles files, Engine engine, ChunkingConfig chunking, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batchSize must be >= 1, was " + batchSize);
    }
    Path model = files.model();
    this.tokenizerJson = files.tokenizer();
    this.chunking = chunking;
    this.batchSize = batchSize;
    this.encoder = engine.openEncoder(model, files.signature());
    this.prefix = files.signature().prefix();
    this.inference = new DocumentInference(encoder, null);
    try {
      this.cacheKey =
          "encoder="
              + files.id()
              // a shipped variant's id implies its pooling and prefix; a folder's does not
              + (files.id().startsWith("folder:")
                  ? "|pooling=" + files.signature().pooling().id() + "|prefix=" + prefix
                  : "")
              + "@"
              + NpmPackageFetcher.sha256(model)
              + "|tokens="
              + chunking.maxTokensPerChunk()
              + "|overlap="
              + chunking.overlapTokens();
    } catch (IOException e) {
      encoder.close();
      throw new UncheckedIOException("cannot checksum the encoder " + model, e);
    }
  }

  @Override
  public String cacheKey() {
    return cacheKey;
  }

  @Override
  public int dimension() {
    int width = encoder.hiddenSize();
    return width > 0 ? width : EncoderVariant.HIDDEN;
  }

  @Override
  public int chunkCap(int maxChunks) {
    return Math.min(maxChunks, chunking.maxChunksPerDocument());
  }

  /** Returns null for a text without any token (a worker would reject it as empty). */
  @Override
  public EmbeddedChunks embed(String text, int maxChunks) {
    int limit = chunkCap(maxChunks);
    TokenizedText doc;
    try {
      doc = tokenizations.computeIfAbsent(limit, this::tokenization).tokenize(text);
    } catch (RejectedInputException e) {
      return null; // the tokenization rejects only a text without any token
    }
    float[][] embeddings =
        inference.embedChunks(doc.chunks(), batchSize, ChunkOrder.IN_ORDER, BatchObserver.NONE);
    return new EmbeddedChunks(Arrays.asList(embeddings), doc.tokenCounts());
  }

  private Tokenization tokenization(int maxChunks) {
    return Tokenizations.of(
        tokenizerJson,
        ChunkingConfig.builder()
            .maxTokensPerChunk(chunking.maxTokensPerChunk())
            .overlapTokens(chunking.overlapTokens())
            .maxChunksPerDocument(maxChunks)
            .build(),
        prefix);
  }

  @Override
  public void close() {
    encoder.close();
  }
}
