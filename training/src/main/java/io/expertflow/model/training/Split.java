package io.expertflow.model.training;

/**
 * The part of the data a document belongs to. Documents of a trained label are in {@link #TRAIN},
 * {@link #VALIDATION} or {@link #TEST}; documents of a label held out of training (the shift model)
 * are in {@link #SHIFT_TRAFFIC} or {@link #SHIFT_EVALUATION}.
 */
public enum Split {
  TRAIN,
  VALIDATION,
  TEST,
  /** Held-out-label documents that arrive as a week of traffic and get feedback. */
  SHIFT_TRAFFIC,
  /** Held-out-label documents never shown to an update; they measure what it learned. */
  SHIFT_EVALUATION
}
