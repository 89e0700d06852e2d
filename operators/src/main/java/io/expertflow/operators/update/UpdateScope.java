package io.expertflow.operators.update;

import io.expertflow.operators.moe.MoeHeadConfig;

/**
 * Which parameters of a chosen expert an update may change. Everything outside the scope, and every
 * expert that was not chosen, stays bit-identical.
 */
public enum UpdateScope {
  /**
   * The output rows ({@code W2} row and {@code b2} entry) of the labels the feedback corrected to,
   * plus the expert's gate row and gate bias. The default: on our data it learns a new label while
   * leaving what the expert already knew alone.
   */
  FEEDBACK_LABEL_OUTPUTS,

  /**
   * The output rows ({@code W2} row and {@code b2} entry) of the labels the feedback corrected to,
   * and nothing else: gate rows stay, so every document is routed exactly as before and a document
   * routed to none of the chosen experts gets bit-identical scores. A new label becomes a linear
   * read-out of the features the chosen experts already compute.
   */
  FEEDBACK_LABEL_OUTPUTS_FIXED_ROUTING,

  /** Every output row ({@code W2}, {@code b2}) plus the gate row and gate bias. */
  ALL_OUTPUTS,

  /** The whole expert ({@code W1}, {@code b1}, {@code W2}, {@code b2}) plus its gate row. */
  WHOLE_EXPERT;

  public static final UpdateScope DEFAULT = FEEDBACK_LABEL_OUTPUTS;

  /** Whether the output row of a label outside the feedback's labels may change. */
  public boolean updatesAllOutputs() {
    return this == ALL_OUTPUTS || this == WHOLE_EXPERT;
  }

  /** Whether the expert's gate row and gate bias may change (and with them, routing). */
  public boolean updatesGate() {
    return this != FEEDBACK_LABEL_OUTPUTS_FIXED_ROUTING;
  }

  /** Whether the first layer ({@code W1}, {@code b1}) may change. */
  public boolean updatesHiddenLayer() {
    return this == WHOLE_EXPERT;
  }

  /** Whether this scope needs labels from the feedback to have anything to change. */
  public boolean needsFeedbackLabels() {
    return !updatesAllOutputs();
  }

  /**
   * How many scalar parameters of one expert the update may change.
   *
   * @param feedbackLabels how many distinct labels the expert's feedback corrected to
   */
  public long parametersPerExpert(MoeHeadConfig config, int feedbackLabels) {
    long m = config.expertHidden();
    long outputs = updatesAllOutputs() ? config.labelCount() : feedbackLabels;
    long hiddenLayer = updatesHiddenLayer() ? m * config.hidden() + m : 0;
    long gate = updatesGate() ? config.parametersPerGateRow() : 0;
    return outputs * (m + 1) + hiddenLayer + gate;
  }
}
