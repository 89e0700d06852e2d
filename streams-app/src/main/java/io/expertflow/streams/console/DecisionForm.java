package io.expertflow.streams.console;

import io.expertflow.avro.ReviewVerdict;
import io.expertflow.streams.review.ReviewItem;
import io.expertflow.streams.review.ReviewQueue;
import io.expertflow.streams.review.ReviewVerdictRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Checks a reviewer's decision form against the queue and the label set, before anything is
 * written: which request, which decision, who decides, and for a correction a label of the model's
 * label set other than the model's own. Stateless.
 */
final class DecisionForm {
  static final int MAX_REVIEWER_LENGTH = 100;

  private DecisionForm() {}

  /** A checked decision, or what the reviewer must fix. */
  sealed interface Checked permits Valid, Invalid {}

  record Valid(ReviewVerdictRequest request) implements Checked {}

  record Invalid(String message) implements Checked {}

  /**
   * @throws ReviewQueue.Unavailable when the queue cannot be read now
   */
  static Checked check(FormData form, ReviewQueue queue) {
    String requestId = form.get("request_id");
    if (requestId == null) {
      return new Invalid("The form lacks the field request_id: which response is decided?");
    }
    String decision = form.get("decision");
    ReviewVerdict verdict = verdict(decision);
    if (verdict == null) {
      return new Invalid(
          (decision == null
                  ? "The form lacks the field decision"
                  : "Unknown decision '" + decision + "'")
              + ": use APPROVED, BLOCKED or CORRECTED.");
    }
    String reviewer = form.get("reviewer");
    if (reviewer == null) {
      return new Invalid("Enter your name in Reviewer: every decision names who made it.");
    }
    if (reviewer.length() > MAX_REVIEWER_LENGTH) {
      return new Invalid(
          "The reviewer's name is longer than " + MAX_REVIEWER_LENGTH + " characters.");
    }
    Optional<ReviewItem> found = queue.item(requestId);
    if (found.isEmpty() || !found.get().pending()) {
      return new Invalid(
          "Request "
              + requestId
              + " is not in the review queue: the id is unknown, its response was not sent to"
              + " review, or it was decided already.");
    }
    ReviewItem item = found.get();
    if (verdict != ReviewVerdict.CORRECTED) {
      return new Valid(new ReviewVerdictRequest(item, verdict, null, reviewer));
    }
    String label = form.get("label");
    List<String> allowed = labelsFor(queue, item);
    if (label == null) {
      return new Invalid(
          "Choose the label to correct to (one of " + String.join(", ", allowed) + ").");
    }
    if (!allowed.contains(label)) {
      return new Invalid(
          "The label '"
              + label
              + "' is not in the label set of model "
              + item.modelName()
              + ": use one of "
              + String.join(", ", allowed)
              + ".");
    }
    if (label.equals(item.predictedLabel())) {
      return new Invalid(
          "'" + label + "' is the model's label already: approve the answer instead.");
    }
    return new Valid(new ReviewVerdictRequest(item, verdict, label, reviewer));
  }

  /** The labels a reviewer may choose for {@code item}: the model's label set and its own. */
  static List<String> labelsFor(ReviewQueue queue, ReviewItem item) {
    TreeSet<String> all = new TreeSet<>(queue.labels(item.modelName()));
    if (item.labels() != null) {
      item.labels().forEach(l -> all.add(l.label()));
    }
    return new ArrayList<>(all);
  }

  private static ReviewVerdict verdict(String decision) {
    if (decision == null) {
      return null;
    }
    try {
      return ReviewVerdict.valueOf(decision.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
