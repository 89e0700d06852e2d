/**
 * Feedback logic as plain Java: checking a {@link io.expertflow.avro.FeedbackEvent} ({@link
 * io.expertflow.operators.feedback.FeedbackValidator}), attributing it to the experts that served
 * the rated response ({@link io.expertflow.operators.feedback.FeedbackAttribution}) and folding
 * attributed feedback into per-expert window statistics ({@link
 * io.expertflow.operators.feedback.ExpertStatsAggregator}).
 */
package io.expertflow.operators.feedback;
