package io.expertflow.model;

import io.expertflow.model.DocumentInference.BatchObserver;
import io.expertflow.model.DocumentInference.ChunkOrder;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.lexical.LexicalModel;
import io.expertflow.operators.moe.MoeOutput;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * Analyzes texts with a model bundle, in-process and without Kafka, along the {@link
 * DocumentInference} path: tokenize and chunk, embed the chunks in batches (grouped by length to
 * waste little padding), fold them into document embeddings, route through the MoE head, weigh in
 * the bundle's TF-IDF model when it has one ({@link LexicalModel#fuse}, as workers do); then report
 * the top labels.
 *
 * <p>Thread-safe for concurrent {@link #analyze} calls (the sessions are); owns its sessions and
 * closes them in {@link #close}.
 */
public final class Analyzer implements AutoCloseable {
  public static final int DEFAULT_TOP_LABELS = 3;
  public static final int DEFAULT_BATCH_SIZE = 16;

  private final ModelBundle bundle;
  private final Tokenization tokenization;
  private final EncoderSession encoder;
  private final HeadSession head;
  private final LexicalModel lexical; // null: the head alone
  private final DocumentInference inference;
  private final int topLabels;
  private final int batchSize;

  /**
   * Opens the bundle's encoder and head on {@code engine}.
   *
   * @param topLabels how many labels to report per text (at least 1)
   * @param batchSize chunks per encoder batch (at least 1)
   */
  public Analyzer(
      ModelBundle bundle, Engine engine, Tokenization tokenization, int topLabels, int batchSize) {
    this(bundle, engine, tokenization, topLabels, batchSize, true);
  }

  /**
   * Opens the bundle's encoder and head on {@code engine}; with {@code tfidf} false the bundle's
   * TF-IDF model is not read and the head answers alone, as a worker with {@code
   * tfidf.enabled=false}.
   *
   * @param topLabels how many labels to report per text (at least 1)
   * @param batchSize chunks per encoder batch (at least 1)
   */
  public Analyzer(
      ModelBundle bundle,
      Engine engine,
      Tokenization tokenization,
      int topLabels,
      int batchSize,
      boolean tfidf) {
    this.bundle = Objects.requireNonNull(bundle, "bundle");
    this.tokenization = Objects.requireNonNull(tokenization, "tokenization");
    if (topLabels < 1 || batchSize < 1) {
      throw new IllegalArgumentException(
          "topLabels and batchSize must be >= 1, were " + topLabels + " and " + batchSize);
    }
    this.topLabels = Math.min(topLabels, bundle.labels().size());
    this.batchSize = batchSize;
    this.encoder = bundle.openEncoder(engine);
    try {
      int width = encoder.hiddenSize();
      if (width > 0 && width != bundle.headConfig().hidden()) {
        throw new IllegalArgumentException(
            "the bundle's encoder emits "
                + width
                + " values, its head expects "
                + bundle.headConfig().hidden());
      }
      this.head = bundle.openHead(engine);
      this.lexical = tfidf ? bundle.readLexical().orElse(null) : null;
      this.inference = new DocumentInference(encoder, head);
    } catch (RuntimeException e) {
      encoder.close();
      throw e;
    }
  }

  /** The bundle's TF-IDF model this analyzer weighs in, if it has one. */
  public java.util.Optional<LexicalModel> lexical() {
    return java.util.Optional.ofNullable(lexical);
  }

  /** Analyzes texts; the result is in input order. */
  public List<TextAnalysis> analyze(List<String> texts) {
    return analyze(texts, DocumentInference.tokenize(tokenization, texts));
  }

  /**
   * Analyzes texts a caller has already tokenized with this analyzer's tokenization (one {@code
   * tokenized} per text, in the same order); the result is in input order.
   */
  public List<TextAnalysis> analyze(List<String> texts, List<TokenizedText> tokenized) {
    if (texts.size() != tokenized.size()) {
      throw new IllegalArgumentException(
          tokenized.size() + " tokenized texts for " + texts.size() + " texts");
    }
    if (texts.isEmpty()) {
      return List.of();
    }
    List<MoeOutput> routed =
        inference.infer(tokenized, batchSize, ChunkOrder.BY_LENGTH, batchSize, BatchObserver.NONE);
    List<TextAnalysis> out = new ArrayList<>(routed.size());
    for (int i = 0; i < routed.size(); i++) {
      TokenizedText tt = tokenized.get(i);
      out.add(describe(routed.get(i), texts.get(i), tt.chunks().size(), tt.truncated()));
    }
    return out;
  }

  private TextAnalysis describe(MoeOutput o, String text, int chunkCount, boolean truncated) {
    List<String> labels = bundle.labels();
    float[] p = lexical == null ? o.probabilities() : lexical.fuse(labels, o.probabilities(), text);
    List<TextAnalysis.LabelScore> top =
        IntStream.range(0, p.length)
            .boxed()
            .sorted(Comparator.comparingDouble((Integer i) -> -p[i]).thenComparingInt(i -> i))
            .limit(topLabels)
            .map(i -> new TextAnalysis.LabelScore(labels.get(i), p[i]))
            .toList();
    return new TextAnalysis(top, o.experts(), o.gates(), o.domain(), chunkCount, truncated);
  }

  @Override
  public void close() {
    try {
      encoder.close();
    } finally {
      head.close();
    }
  }
}
