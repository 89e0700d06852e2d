/**
 * Model bundles: a folder with {@code encoder.onnx}, {@code head.onnx}, {@code head.weights},
 * {@code tokenizer.json}, {@code labels.txt} and {@code manifest.json}. {@link
 * io.expertflow.model.bundle.ModelBundle#load} verifies it; {@link
 * io.expertflow.model.bundle.ModelBundleWriter} writes one; {@link
 * io.expertflow.model.bundle.EncoderResources} extracts the pretrained MiniLM encoders shipped on
 * the class path; {@link io.expertflow.model.bundle.HeadWeightsFormat} is the raw weights format
 * the updater reads and writes.
 */
package io.expertflow.model.bundle;
