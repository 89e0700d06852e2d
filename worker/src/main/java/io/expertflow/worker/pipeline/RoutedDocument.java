package io.expertflow.worker.pipeline;

import io.expertflow.operators.moe.MoeOutput;

/** The head's output for one document and the model version that produced it. */
record RoutedDocument(MoeOutput output, ServingModel model) {}
