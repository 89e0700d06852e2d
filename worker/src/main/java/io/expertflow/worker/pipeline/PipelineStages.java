package io.expertflow.worker.pipeline;

import io.expertflow.model.DocumentInference;
import io.expertflow.model.engine.EncoderSession;
import io.expertflow.operators.batching.BatchProcessor;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.worker.pipeline.ModelDocumentProcessor.Traced;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The stages of {@link ModelDocumentProcessor} that run on their own threads: the tokenizer pool,
 * and what one encoder batch and one head batch do, each in a batch span.
 */
final class PipelineStages {
  private PipelineStages() {}

  /** The bounded pool of daemon tokenizer threads ({@code tokenizer-N}). */
  static ThreadPoolExecutor tokenizers(PipelineConfig config) {
    AtomicInteger n = new AtomicInteger();
    return new ThreadPoolExecutor(
        config.tokenizerThreads(),
        config.tokenizerThreads(),
        0,
        TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(config.tokenizerQueue()),
        r -> {
          Thread t = new Thread(r, "tokenizer-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /** One encoder batch: the chunks' token ids in, one embedding per chunk out, with its timing. */
  static BatchProcessor<Traced<int[]>, ChunkEmbedding> encode(
      EncoderSession encoder, PipelineSpans spans) {
    return batch -> {
      Span span = spans.batch("expertflow.encoder.batch", batch);
      return inSpan(
          span,
          () -> {
            long start = System.nanoTime();
            List<int[]> chunks = new ArrayList<>(batch.size());
            long tokens = 0;
            for (Traced<int[]> t : batch) {
              chunks.add(t.payload());
              tokens += t.payload().length;
            }
            span.setAttribute("expertflow.batch.tokens", tokens);
            float[][] vectors = encoder.embed(chunks);
            long end = System.nanoTime();
            List<ChunkEmbedding> out = new ArrayList<>(vectors.length);
            for (float[] v : vectors) {
              out.add(new ChunkEmbedding(v, end - start, end, span.getSpanContext()));
            }
            return out;
          });
    };
  }

  /** One head batch: folded document embeddings in, each routed by the model served now. */
  static BatchProcessor<Traced<float[]>, RoutedDocument> route(
      ServingModelRef models, PipelineSpans spans) {
    return batch -> {
      Span span = spans.batch("expertflow.head.batch", batch);
      return inSpan(
          span,
          () -> {
            // the lease keeps a hot reload from closing the session under this batch
            try (ServingModelRef.Lease lease = models.acquire()) {
              ServingModel model = lease.model();
              span.setAttribute("expertflow.model_version", model.version());
              List<MoeOutput> outputs =
                  DocumentInference.route(
                      model.head(), batch.stream().map(Traced::payload).toList());
              List<RoutedDocument> out = new ArrayList<>(outputs.size());
              for (MoeOutput o : outputs) {
                out.add(new RoutedDocument(o, model, span.getSpanContext()));
              }
              return out;
            }
          });
    };
  }

  /** Runs {@code work} in {@code span}: a failure is recorded on it, and it ends either way. */
  private static <R> R inSpan(Span span, Supplier<R> work) {
    try {
      return work.get();
    } catch (RuntimeException e) {
      span.recordException(e).setStatus(StatusCode.ERROR);
      throw e;
    } finally {
      span.end();
    }
  }
}
