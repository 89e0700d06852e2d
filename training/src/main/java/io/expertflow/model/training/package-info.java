/**
 * Trains the demo model's MoE head on the public corpora: fetch and parse the corpora, split by
 * document, embed each document's chunks (with a persistent cache), train with {@link
 * io.expertflow.operators.moe.MoeHeadTrainer}, evaluate on held-out documents and write the model
 * with its metrics, replay reservoir and guard set. {@link
 * io.expertflow.model.training.TrainingPipeline} is the entry point.
 */
package io.expertflow.model.training;
