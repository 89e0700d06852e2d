package io.expertflow.operators.update;

import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.privacy.FeedbackUsers;
import java.util.Objects;

/**
 * One feedback event usable for training: the rated document's embedding and the label that is
 * right for it (the corrected label, or the predicted one when the rating agreed). The arrays are
 * not copied; callers must not mutate them afterwards.
 *
 * @param id the feedback event's id, unique within a window
 * @param embedding the document embedding the response carried
 * @param label index into the head's label set
 * @param user who gave the feedback ({@link FeedbackUsers#of}: the event's source, {@link
 *     FeedbackUsers#ANONYMOUS} without one); a private update counts privacy per user
 * @param evidence what the bundle's TF-IDF model added to the head's log-probabilities when the
 *     document was answered, one value per label of the head (NaN: none for that label); empty when
 *     the response carried none. The update judges held-out feedback on the answer as served.
 */
public record FeedbackSample(
    String id, float[] embedding, int label, String user, double[] evidence) {
  /** A sample of feedback that named no source, answered by the head alone. */
  public FeedbackSample(String id, float[] embedding, int label) {
    this(id, embedding, label, FeedbackUsers.ANONYMOUS);
  }

  /** A sample answered by the head alone. */
  public FeedbackSample(String id, float[] embedding, int label, String user) {
    this(id, embedding, label, user, new double[0]);
  }

  public FeedbackSample {
    Objects.requireNonNull(id, "id");
    user = FeedbackUsers.of(user);
    Objects.requireNonNull(embedding, "embedding");
    Objects.requireNonNull(evidence, "evidence");
    if (label < 0) {
      throw new IllegalArgumentException("label index must be >= 0, was " + label);
    }
  }

  public LabeledEmbedding toLabeled() {
    return new LabeledEmbedding(embedding, label);
  }
}
