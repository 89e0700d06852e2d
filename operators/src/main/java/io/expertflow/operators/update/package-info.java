/**
 * The weekly expert update, free of Kafka and ONNX Runtime: {@link
 * io.expertflow.operators.update.ExpertSelectionPolicy} turns a closed window's per-expert feedback
 * statistics into an {@link io.expertflow.operators.update.ExpertUpdatePlan}; {@link
 * io.expertflow.operators.update.ExpertUpdater} fine-tunes only the chosen experts' scoped
 * parameters on the window's feedback plus replayed training samples, evaluates on held-out
 * feedback and a fixed guard set, and decides whether the new version may be published. A private
 * update ({@link io.expertflow.operators.update.DpConfig}) trains with DP-SGD and accounts its
 * privacy cost per feedback user ({@link io.expertflow.operators.privacy}).
 */
package io.expertflow.operators.update;
