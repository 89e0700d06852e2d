package io.expertflow.operators.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.operators.feedback.FeedbackValidator;
import java.time.Instant;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Fuzzing of feedback events, which any client writes: random ids (blank, huge, odd characters),
 * ratings over the whole int range, labels of any length, any event time. The validator must accept
 * exactly the events its contract allows and give a reason for every other, never throw.
 */
class FeedbackFuzzTest {
  private final FeedbackValidator validator = new FeedbackValidator();

  @Test
  void shouldJudgeAnyFeedbackEventWithAReasonOrAccept() {
    Fuzz.run(
        1,
        random -> {
          FeedbackEvent event = event(random);
          Optional<String> problem = validator.problem(event);

          assertThat(problem.isEmpty()).as("%s -> %s", event, problem).isEqualTo(valid(event));
          problem.ifPresent(p -> assertThat(p).isNotBlank().doesNotContain("Exception"));
        });
  }

  /**
   * The contract, restated: ids not blank, a rating in -1..1 and/or a label of 1..200 chars, not
   * starting or ending with white space, with no control character, line or paragraph separator or
   * lone surrogate.
   */
  private static boolean valid(FeedbackEvent e) {
    Integer rating = e.getRating();
    String label = e.getCorrectedLabel() == null ? null : e.getCorrectedLabel().toString();
    return !e.getFeedbackId().toString().isBlank()
        && !e.getRequestId().toString().isBlank()
        && (rating != null || label != null)
        && (rating == null || (rating >= -1 && rating <= 1))
        && (label == null
            || (!label.isBlank()
                && label.length() <= FeedbackValidator.DEFAULT_MAX_LABEL_LENGTH
                && label.strip().equals(label)
                && label
                    .codePoints()
                    .noneMatch(
                        c ->
                            Character.isISOControl(c)
                                || c == 0x2028
                                || c == 0x2029
                                || Character.getType(c) == Character.SURROGATE)))
        && e.getEventTime().toEpochMilli() > 0;
  }

  private static FeedbackEvent event(Random random) {
    return FeedbackEvent.newBuilder()
        .setFeedbackId(id(random))
        .setRequestId(id(random))
        .setRating(
            switch (random.nextInt(4)) {
              case 0 -> null;
              case 1 -> random.nextInt(3) - 1;
              case 2 -> random.nextInt();
              default -> random.nextBoolean() ? Integer.MIN_VALUE : Integer.MAX_VALUE;
            })
        .setCorrectedLabel(
            switch (random.nextInt(4)) {
              case 0 -> null;
              case 1 -> "news";
              case 2 -> Fuzz.text(random, 10);
              default -> "x".repeat(190 + random.nextInt(20));
            })
        .setSource(random.nextBoolean() ? null : Fuzz.text(random, 10))
        .setEventTime(
            Instant.ofEpochMilli(
                random.nextBoolean()
                    ? random.nextLong() % 4_000_000_000_000L
                    : 1_700_000_000_000L + random.nextInt()))
        .build();
  }

  private static String id(Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> "";
      case 1 -> " \t";
      case 2 -> Fuzz.text(random, 40);
      default -> "req-" + random.nextInt(1000);
    };
  }
}
