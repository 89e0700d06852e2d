package io.expertflow.cli.demo;

import java.util.List;

/**
 * How the pipeline answered one request: a response or a dead letter.
 *
 * @param requestId the request
 * @param deadLetter whether it ended as a dead letter
 * @param status the response status (OK, EXPIRED, FAILED) or the dead letter's reason
 * @param topLabel the best label, or null
 * @param modelVersion the model version that answered, or null for a dead letter
 * @param experts the base experts that served it (empty for a dead letter)
 * @param latencyMs submission to response, as the worker measured it (0 for a dead letter)
 * @param arrivedNanos {@link System#nanoTime()} when the demo read it
 */
public record Answer(
    String requestId,
    boolean deadLetter,
    String status,
    String topLabel,
    String modelVersion,
    List<Integer> experts,
    long latencyMs,
    long arrivedNanos) {
  public Answer {
    experts = List.copyOf(experts);
  }

  /** Whether it is an OK response whose best label is {@code label}. */
  public boolean correct(String label) {
    return !deadLetter && "OK".equals(status) && label != null && label.equals(topLabel);
  }
}
