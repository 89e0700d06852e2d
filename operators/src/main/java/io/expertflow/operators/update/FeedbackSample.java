package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.privacy.FeedbackUsers;
import java.util.Objects;

/**
 * One feedback event usable for training: the rated document's embedding and the label that is
 * right for it (the corrected label, or the predicted one when the rating agreed). The array is not
 * copied; callers must not mutate it afterwards.
 *
 * @param id the feedback event's id, unique within a window
 * @param embedding the document embedding the response carried
 * @param label index into the head's label set
 * @param user who gave the feedback ({@link FeedbackUsers#of}: the event's source, {@link
 *     FeedbackUsers#ANONYMOUS} without one); a private update counts privacy per user
 */
public record FeedbackSample(String id, float[] embedding, int label, String user) {
  /** A sample of feedback that named no source. */
  public FeedbackSample(String id, float[] embedding, int label) {
    this(id, embedding, label, FeedbackUsers.ANONYMOUS);
  }

  public FeedbackSample {
    Objects.requireNonNull(id, "id");
    user = FeedbackUsers.of(user);
    Objects.requireNonNull(embedding, "embedding");
    if (label < 0) {
      throw new IllegalArgumentException("label index must be >= 0, was " + label);
    }
  }

  public LabeledEmbedding toLabeled() {
    return new LabeledEmbedding(embedding, label);
  }
}
