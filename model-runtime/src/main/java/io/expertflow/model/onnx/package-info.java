/**
 * ONNX graphs that the project builds itself from its own weights, written with the generated ONNX
 * protobuf classes: the MoE head ({@link io.expertflow.model.onnx.MoeHeadOnnxBuilder}) and a tiny
 * test encoder ({@link io.expertflow.model.onnx.TinyEncoderBuilder}).
 */
package io.expertflow.model.onnx;
