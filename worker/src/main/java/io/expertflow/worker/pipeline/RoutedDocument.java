package io.expertflow.worker.pipeline;

import io.expertflow.operators.moe.MoeOutput;
import io.opentelemetry.api.trace.SpanContext;

/**
 * The head's output for one document, the model version that produced it, and the head batch's span
 * (invalid when tracing is off).
 */
record RoutedDocument(MoeOutput output, ServingModel model, SpanContext batch) {}
