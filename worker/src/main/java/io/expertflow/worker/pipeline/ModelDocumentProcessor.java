package io.expertflow.worker.pipeline;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.DocumentInference;
import io.expertflow.model.Tokenization;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.operators.batching.BatchListener;
import io.expertflow.operators.batching.DynamicBatcher;
import io.expertflow.operators.batching.ItemExpiredException;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.worker.DocumentProcessor;
import io.expertflow.worker.Failures;
import io.expertflow.worker.Outcome;
import io.expertflow.worker.RequestContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The inference pipeline: tokenise on a bounded CPU pool, batch chunks for the encoder, fold each
 * document's chunk embeddings, batch documents for the MoE head, answer ({@link
 * ResponseAssembler}). Tokenising, folding and routing are the steps of the offline {@link
 * DocumentInference} path; only the batching is the worker's own.
 *
 * <p>Threading: {@link #process} is called from the worker's poll thread and never blocks;
 * tokenising runs on {@code tokenizerThreads} pool threads, the encoder and the head on their
 * batchers' engine threads, so tokenising overlaps inference. A request whose deadline has passed
 * is answered EXPIRED without running, also when it expires while queued in a batcher. A chunk that
 * makes the engine fail on its own (after the batcher's bisection) fails its document with {@link
 * Failures.PoisonItemException}.
 */
public final class ModelDocumentProcessor implements DocumentProcessor {
  private final PipelineConfig config;
  private final ServingModelRef models;
  private final Clock clock;
  private final DocumentPreparer preparer;
  private final ThreadPoolExecutor tokenizers;
  private final DynamicBatcher<Traced<int[]>, ChunkEmbedding> encoderBatcher;
  private final DynamicBatcher<Traced<float[]>, RoutedDocument> headBatcher;
  private final ResponseAssembler responses;
  private final PipelineSpans spans;

  /** A batch item and the span of the request it belongs to (linked from the batch's span). */
  record Traced<T>(T payload, SpanContext request) {}

  /**
   * @param batchListener observes the encoder batches (metrics), may be {@link BatchListener#NONE}
   * @param expertLoad observes every routing decision, may be {@code e -> {}}
   */
  public ModelDocumentProcessor(
      PipelineConfig config,
      EncoderSession encoder,
      Tokenization tokenization,
      ServingModelRef models,
      BatchListener batchListener,
      ExpertLoadListener expertLoad,
      Clock clock,
      String workerId) {
    this(
        config,
        encoder,
        tokenization,
        models,
        batchListener,
        expertLoad,
        clock,
        workerId,
        null,
        Tracing.off());
  }

  /**
   * @param memory the document memory whose neighbours are fused into every answer, or null
   * @param tracing spans per request (continuing its {@code traceparent}), per encoder and head
   *     batch (linked both ways with the requests that rode in it)
   */
  public ModelDocumentProcessor(
      PipelineConfig config,
      EncoderSession encoder,
      Tokenization tokenization,
      ServingModelRef models,
      BatchListener batchListener,
      ExpertLoadListener expertLoad,
      Clock clock,
      String workerId,
      MemoryAnswers memory,
      Tracing tracing) {
    this.spans = new PipelineSpans(tracing);
    this.config = config;
    this.models = models;
    this.clock = clock;
    this.responses = new ResponseAssembler(config, models, expertLoad, clock, workerId, memory);
    this.preparer = new DocumentPreparer(tokenization, config.maxTextBytes());
    this.tokenizers = PipelineStages.tokenizers(config);
    this.encoderBatcher =
        DynamicBatcher.<Traced<int[]>, ChunkEmbedding>builder(
                config.encoderBatching(), PipelineStages.encode(encoder, spans))
            .name("encoder")
            .listener(batchListener)
            .start();
    this.headBatcher =
        DynamicBatcher.<Traced<float[]>, RoutedDocument>builder(
                config.headBatching(), PipelineStages.route(models, spans))
            .name("head")
            .start();
  }

  @Override
  public CompletableFuture<Outcome> process(InferenceRequest request, RequestContext context) {
    Instant deadline = request.getDeadline();
    if (deadline != null && !deadline.isAfter(clock.instant())) {
      return CompletableFuture.completedFuture(
          responses.expired(request, context, "deadline passed before it ran"));
    }
    long acceptedNanos = System.nanoTime();
    Span span = spans.request(request, context);
    CompletableFuture<Outcome> outcome = answer(request, context, span, acceptedNanos);
    return outcome.whenComplete(
        (done, failure) -> {
          if (failure != null) {
            span.recordException(Failures.unwrapCause(failure)).setStatus(StatusCode.ERROR);
          } else if (done instanceof Outcome.Answered a) {
            span.setAttribute("expertflow.status", a.response().getStatus().name());
          }
          span.end();
        });
  }

  private CompletableFuture<Outcome> answer(
      InferenceRequest request, RequestContext context, Span span, long acceptedNanos) {
    SpanContext requestSpan = span.getSpanContext();
    CompletableFuture<PreparedDocument> prepared;
    try {
      prepared = CompletableFuture.supplyAsync(() -> preparer.prepare(request), tokenizers);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new IllegalStateException(
              "tokenizer queue full ("
                  + config.tokenizerQueue()
                  + "); lower max.in.flight or raise the queue",
              e));
    }
    return prepared
        .thenCompose(doc -> embed(doc, request, span).thenApply(chunks -> fold(doc, chunks)))
        .thenCompose(
            folded ->
                head(folded, request, span)
                    .thenApply(
                        routed ->
                            (Outcome)
                                new Outcome.Answered(
                                    responses.answer(
                                        request, context, folded, routed, acceptedNanos))))
        .exceptionally(
            failure -> {
              Throwable t = Failures.unwrapCause(failure);
              if (t instanceof ItemExpiredException) {
                return responses.expired(
                    request, context, "deadline passed while queued for the engine");
              }
              throw failure instanceof RuntimeException r ? r : new RuntimeException(failure);
            });
  }

  /** The document through the head batcher, in a child span linked to the head batch. */
  private CompletableFuture<RoutedDocument> head(
      FoldedDocument folded, InferenceRequest r, Span request) {
    Span span = spans.child("expertflow.head", request);
    long offered = System.nanoTime();
    return headBatcher
        .offer(new Traced<>(folded.embedding(), request.getSpanContext()), 1, lane(r), timeLeft(r))
        .whenComplete(
            (routed, failure) -> {
              if (routed != null) {
                PipelineSpans.link(span, request, routed.batch());
                span.setAttribute(
                    "expertflow.queue_wait_ms",
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, System.nanoTime() - offered)));
              }
              span.end();
            });
  }

  private CompletableFuture<List<ChunkEmbedding>> embed(
      PreparedDocument doc, InferenceRequest r, Span request) {
    List<int[]> chunks = doc.tokens().chunks();
    List<CompletableFuture<ChunkEmbedding>> futures = new ArrayList<>(chunks.size());
    Duration left = timeLeft(r);
    int lane = lane(r);
    Span span = spans.child("expertflow.encode", request);
    span.setAttribute("expertflow.chunks", chunks.size());
    long offered = System.nanoTime();
    for (int[] chunk : chunks) {
      futures.add(
          encoderBatcher
              .offer(new Traced<>(chunk, request.getSpanContext()), chunk.length, lane, left)
              .exceptionallyCompose(
                  t -> {
                    Throwable cause = Failures.unwrapCause(t);
                    if (cause instanceof ItemExpiredException
                        || cause instanceof io.expertflow.operators.batching.BatcherException) {
                      return CompletableFuture.failedFuture(cause);
                    }
                    return CompletableFuture.failedFuture(
                        new Failures.PoisonItemException(
                            "a chunk of "
                                + chunk.length
                                + " tokens made the encoder fail on its own "
                                + config.encoderBatching().maxAttempts()
                                + " times: "
                                + Failures.describe(cause),
                            cause,
                            config.encoderBatching().maxAttempts()));
                  }));
    }
    return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
        .thenApply(v -> futures.stream().map(CompletableFuture::join).toList())
        .whenComplete(
            (embedded, failure) -> {
              if (embedded != null) {
                long firstBatchStart = Long.MAX_VALUE;
                java.util.Set<SpanContext> batches = new java.util.LinkedHashSet<>();
                for (ChunkEmbedding c : embedded) {
                  batches.add(c.batch());
                  firstBatchStart = Math.min(firstBatchStart, c.finishedNanos() - c.batchNanos());
                }
                batches.forEach(b -> PipelineSpans.link(span, request, b));
                span.setAttribute("expertflow.batches", batches.size());
                span.setAttribute(
                    "expertflow.queue_wait_ms",
                    TimeUnit.NANOSECONDS.toMillis(Math.max(0, firstBatchStart - offered)));
              }
              span.end();
            });
  }

  private FoldedDocument fold(PreparedDocument doc, List<ChunkEmbedding> chunks) {
    List<float[]> vectors = chunks.stream().map(ChunkEmbedding::vector).toList();
    float[] embedding = DocumentInference.fold(doc.tokens(), vectors);
    long inference = 0;
    long lastFinished = 0;
    for (ChunkEmbedding c : chunks) {
      inference += c.batchNanos();
      lastFinished = Math.max(lastFinished, c.finishedNanos());
    }
    return new FoldedDocument(doc, embedding, inference, lastFinished);
  }

  private int lane(InferenceRequest r) {
    return Math.max(0, Math.min(r.getPriority(), config.encoderBatching().priorityLanes() - 1));
  }

  private Duration timeLeft(InferenceRequest r) {
    return r.getDeadline() == null ? null : Duration.between(clock.instant(), r.getDeadline());
  }

  /** Batcher queue depth, for metrics. */
  public int queuedChunks() {
    return encoderBatcher.queuedItems();
  }

  @Override
  public void close() {
    tokenizers.shutdown();
    encoderBatcher.shutdown();
    headBatcher.shutdown();
    try {
      tokenizers.awaitTermination(30, TimeUnit.SECONDS);
      encoderBatcher.awaitTermination(Duration.ofSeconds(30));
      headBatcher.awaitTermination(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Observes each base expert a document is routed to. Thread-safe. */
  @FunctionalInterface
  public interface ExpertLoadListener {
    void chosen(int expert);
  }
}
