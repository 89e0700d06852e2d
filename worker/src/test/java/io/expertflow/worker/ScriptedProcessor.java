package io.expertflow.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * TEST double of the inference pipeline: answers every request OK at once, except a request whose
 * text holds {@link PoisonMarkerTokenization#MARKER} (fails as a poison item after 3 runs) and a
 * request whose id was {@link #hold held} (its future completes only on {@link #release}).
 * Thread-safe.
 */
final class ScriptedProcessor implements DocumentProcessor {
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Map<String, CompletableFuture<Outcome>> waiting = new ConcurrentHashMap<>();
  private final AtomicInteger calls = new AtomicInteger();

  /** Requests with {@code requestId} wait until {@link #release}. */
  void hold(String requestId) {
    held.add(requestId);
  }

  /** Answers the held request {@code requestId}. */
  void release(String requestId) {
    waiting.get(requestId).complete(new Outcome.Answered(answer(requestId)));
  }

  /** Whether the held request {@code requestId} reached the pipeline. */
  boolean waits(String requestId) {
    return waiting.containsKey(requestId);
  }

  int calls() {
    return calls.get();
  }

  @Override
  public CompletableFuture<Outcome> process(InferenceRequest request, RequestContext context) {
    calls.incrementAndGet();
    if (request.getText().contains(PoisonMarkerTokenization.MARKER)) {
      return CompletableFuture.failedFuture(
          new Failures.PoisonItemException(
              "encoder failed on the chunk alone", new IllegalStateException("bad token"), 3));
    }
    if (held.contains(request.getRequestId())) {
      return waiting.computeIfAbsent(request.getRequestId(), id -> new CompletableFuture<>());
    }
    return CompletableFuture.completedFuture(new Outcome.Answered(answer(request.getRequestId())));
  }

  private static InferenceResponse answer(String requestId) {
    return InferenceResponse.newBuilder()
        .setRequestId(requestId)
        .setDocumentId("doc-" + requestId)
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setModelName("scripted")
        .setModelVersion("1")
        .setTimings(new Timings(0L, 0L, 0L, 1L))
        .setWorkerId(MockDelivery.WORKER)
        .setProducedAt(Instant.now())
        .setAttributes(Map.of())
        .build();
  }
}
