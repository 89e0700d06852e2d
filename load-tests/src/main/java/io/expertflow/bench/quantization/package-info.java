/**
 * Calibration of the statically quantized encoder: measures the activation ranges of the int8
 * MiniLM on the built-in corpora and compares range rules by their embeddings against fp32.
 */
package io.expertflow.bench.quantization;
