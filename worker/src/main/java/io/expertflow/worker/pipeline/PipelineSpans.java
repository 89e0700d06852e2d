package io.expertflow.worker.pipeline;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.worker.RequestContext;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The spans of a document's way through the worker's pipeline: one per request, continuing the
 * {@code traceparent} it carried; one per stage (encode, head) under it; one per batch, linked to
 * every request that rode in it (fan-in), and each stage linked back to its batches.
 */
final class PipelineSpans {
  private final Tracing tracing;

  PipelineSpans(Tracing tracing) {
    this.tracing = tracing;
  }

  /**
   * The request's span: a child of the {@code traceparent} the record carried (a new trace when it
   * carried none), from the poll to the outcome.
   */
  Span request(InferenceRequest request, RequestContext context) {
    return tracing
        .tracer()
        .spanBuilder("expertflow.request")
        .setParent(Tracing.parent(context.traceparent()))
        .setSpanKind(SpanKind.CONSUMER)
        .setStartTimestamp(context.polledAtMs(), TimeUnit.MILLISECONDS)
        .setAttribute(Tracing.REQUEST_ID, request.getRequestId())
        .setAttribute(Tracing.TENANT, request.getTenant())
        .setAttribute("messaging.system", "kafka")
        .setAttribute("messaging.destination.name", context.topic())
        .setAttribute("messaging.kafka.destination.partition", (long) context.partition())
        .setAttribute("messaging.kafka.message.offset", context.offset())
        .setAttribute("expertflow.priority", (long) request.getPriority())
        .startSpan();
  }

  Span child(String name, Span parent) {
    return tracing
        .tracer()
        .spanBuilder(name)
        .setParent(io.opentelemetry.context.Context.root().with(parent))
        .startSpan();
  }

  /** A batch's span, linked to the span of every request that has an item in it (fan-in). */
  <T> Span batch(String name, List<ModelDocumentProcessor.Traced<T>> batch) {
    if (!tracing.enabled()) {
      return Span.getInvalid(); // no link set to build for every batch when nothing is exported
    }
    SpanBuilder b = tracing.tracer().spanBuilder(name).setNoParent().setSpanKind(SpanKind.INTERNAL);
    Set<SpanContext> requests = new LinkedHashSet<>();
    for (ModelDocumentProcessor.Traced<T> t : batch) {
      if (t.request().isValid()) {
        requests.add(t.request());
      }
    }
    requests.forEach(b::addLink);
    return b.setAttribute("expertflow.batch.size", (long) batch.size())
        .setAttribute("expertflow.batch.requests", (long) requests.size())
        .startSpan();
  }

  /** Links a request's stage span and the request span to the batch it rode in. */
  static void link(Span stage, Span request, SpanContext batch) {
    if (batch != null && batch.isValid()) {
      stage.addLink(batch);
      request.addLink(batch);
    }
  }
}
