package io.expertflow.streams.feedback;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.feedback.FeedbackAttribution;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.deadletter.SourceRecordRef;
import java.util.Optional;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Forwards attributed feedback (key expert id, timestamp the feedback's event time) or a feedback
 * dead letter, for both processors of the feedback topology. Used on one stream thread.
 */
final class FeedbackEmitter {
  static final String ATTRIBUTED = "attributed-sink";
  static final String DEAD_LETTERS = "feedback-dead-letters-sink";

  private final DeadLetters deadLetters;

  FeedbackEmitter(DeadLetters deadLetters) {
    this.deadLetters = deadLetters;
  }

  /** Attributes {@code event} to the experts of {@code response}, or dead-letters it. */
  void attribute(
      ProcessorContext<String, SpecificRecord> context,
      FeedbackEvent event,
      InferenceResponse response,
      SourceRecordRef source) {
    Optional<String> problem = FeedbackAttribution.problem(response);
    if (problem.isPresent()) {
      deadLetter(
          context,
          DeadLetterReason.INVALID_FEEDBACK,
          "feedback "
              + event.getFeedbackId()
              + " on request "
              + event.getRequestId()
              + ": "
              + problem.get()
              + "; only OK responses can be rated",
          event.getRequestId(),
          source);
      return;
    }
    long eventTime = event.getEventTime().toEpochMilli();
    java.util.List<AttributedFeedback> attributions =
        FeedbackAttribution.attribute(event, response);
    io.expertflow.streams.StreamsMeters.feedbackAttributed(attributions.size());
    for (AttributedFeedback attributed : attributions) {
      context.forward(
          new Record<String, SpecificRecord>(
              Integer.toString(attributed.getExpert()), attributed, eventTime),
          ATTRIBUTED);
    }
  }

  void deadLetter(
      ProcessorContext<String, SpecificRecord> context,
      DeadLetterReason reason,
      String detail,
      String requestId,
      SourceRecordRef source) {
    long now = context.currentSystemTimeMs();
    context.forward(
        new Record<String, SpecificRecord>(
            requestId, deadLetters.create(reason, detail, requestId, source, now), now),
        DEAD_LETTERS);
  }
}
