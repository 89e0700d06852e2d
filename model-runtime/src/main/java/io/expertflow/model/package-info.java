/**
 * The model side of a worker: {@link io.expertflow.model.Analyzer} runs a model bundle on texts
 * through a {@link io.expertflow.model.Tokenization}. Subpackages: {@code engine} (ONNX Runtime),
 * {@code bundle} (model bundles) and {@code onnx} (graphs the project builds itself).
 */
package io.expertflow.model;
