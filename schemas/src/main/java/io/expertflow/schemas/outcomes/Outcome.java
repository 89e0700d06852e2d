package io.expertflow.schemas.outcomes;

import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import java.util.Set;

/**
 * How the pipeline answered one request, as a downstream reader saw it: a response or a dead
 * letter, with when it was read.
 *
 * @param requestId the request
 * @param response the response, or null for a dead letter
 * @param deadLetter the dead letter, or null for a response
 * @param readAtMillis wall-clock time (epoch ms) the reader read it
 * @param readAtNanos {@link System#nanoTime()} when the reader read it
 */
public record Outcome(
    String requestId,
    InferenceResponse response,
    DeadLetter deadLetter,
    long readAtMillis,
    long readAtNanos) {

  /** The stages whose dead letters end a request (a feedback dead letter does not). */
  public static final Set<String> REQUEST_STAGES = Set.of("intake", "worker");

  public Outcome {
    if ((response == null) == (deadLetter == null)) {
      throw new IllegalArgumentException("an outcome is either a response or a dead letter");
    }
  }

  public boolean isDeadLetter() {
    return deadLetter != null;
  }

  /** Whether this outcome answers its request: a response, or a dead letter of intake or worker. */
  public boolean endsRequest() {
    return response != null || REQUEST_STAGES.contains(deadLetter.getStage());
  }
}
