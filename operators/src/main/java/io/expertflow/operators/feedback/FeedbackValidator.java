package io.expertflow.operators.feedback;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.operators.moe.LabelNames;
import java.util.Optional;

/**
 * Checks a feedback event before it is joined: ids present, a rating of -1, 0 or +1 and/or a
 * corrected label that can be a label name ({@link LabelNames}: a correction may add its label to
 * the model), a sane event time. Immutable; thread-safe.
 */
public final class FeedbackValidator {
  /** Longest accepted corrected label, in characters: the longest label name. */
  public static final int DEFAULT_MAX_LABEL_LENGTH = LabelNames.MAX_LENGTH;

  private final int maxLabelLength;

  public FeedbackValidator() {
    this(DEFAULT_MAX_LABEL_LENGTH);
  }

  public FeedbackValidator(int maxLabelLength) {
    if (maxLabelLength < 1 || maxLabelLength > LabelNames.MAX_LENGTH) {
      throw new IllegalArgumentException(
          "maxLabelLength must be 1 to " + LabelNames.MAX_LENGTH + ", was " + maxLabelLength);
    }
    this.maxLabelLength = maxLabelLength;
  }

  /** Why {@code event} is invalid (a message a person can act on), or empty when it is valid. */
  public Optional<String> problem(FeedbackEvent event) {
    if (event.getFeedbackId().toString().isBlank()) {
      return Optional.of("feedback_id is empty; give every feedback event a unique id");
    }
    if (event.getRequestId().toString().isBlank()) {
      return Optional.of(
          "request_id is empty; feedback must name the request whose response it rates");
    }
    Integer rating = event.getRating();
    CharSequence corrected = event.getCorrectedLabel();
    if (rating == null && corrected == null) {
      return Optional.of("neither rating nor corrected_label is set; set at least one");
    }
    if (rating != null && (rating < -1 || rating > 1)) {
      return Optional.of("rating is " + rating + "; use -1 (wrong), 0 (neutral) or +1 (right)");
    }
    if (corrected != null) {
      String label = corrected.toString();
      if (label.isBlank()) {
        return Optional.of("corrected_label is blank; leave it null or name a label");
      }
      if (label.length() > maxLabelLength) {
        return Optional.of(
            "corrected_label has "
                + label.length()
                + " characters, more than the limit of "
                + maxLabelLength
                + "; send a label name from the model's label set");
      }
      Optional<String> name = LabelNames.problem(label);
      if (name.isPresent()) {
        return Optional.of("corrected_label: " + name.get());
      }
    }
    if (event.getEventTime().toEpochMilli() <= 0) {
      return Optional.of(
          "event_time is "
              + event.getEventTime().toEpochMilli()
              + "; set it to the epoch milliseconds when the feedback was given");
    }
    return Optional.empty();
  }
}
