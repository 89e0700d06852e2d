package io.expertflow.worker;

import io.expertflow.avro.InferenceRequest;
import java.time.Instant;
import java.util.Map;
import java.util.Random;

/** Inference requests for the delivery tests: short English texts, ids that say what they are. */
final class Requests {
  private static final String[] WORDS = {
    "market", "report", "river", "council", "season", "engine", "letter", "garden", "theory",
    "village", "contract", "harvest", "museum", "signal", "weather", "student", "budget", "novel",
    "science", "station", "painting", "league", "doctor", "bridge", "company", "election", "forest"
  };

  private Requests() {}

  /** A request with a text of 8 to 40 words drawn from {@code seed}. */
  static InferenceRequest document(String requestId, long seed) {
    Random random = new Random(seed);
    int words = 8 + random.nextInt(33);
    StringBuilder text = new StringBuilder("the");
    for (int i = 0; i < words; i++) {
      text.append(' ').append(WORDS[random.nextInt(WORDS.length)]);
    }
    return withText(requestId, text.toString());
  }

  static InferenceRequest withText(String requestId, String text) {
    return InferenceRequest.newBuilder()
        .setRequestId(requestId)
        .setDocumentId("doc-" + requestId)
        .setTenant("acme")
        .setText(text)
        .setSubmittedAt(Instant.now())
        .setAttributes(Map.of("case", requestId))
        .build();
  }

  /** A document whose deadline passed a minute ago. */
  static InferenceRequest expired(String requestId) {
    InferenceRequest r = document(requestId, requestId.hashCode());
    r.setDeadline(Instant.now().minusSeconds(60));
    return r;
  }

  /** A document that holds {@link PoisonMarkerTokenization#MARKER}. */
  static InferenceRequest poison(String requestId) {
    return withText(
        requestId,
        "the report on the " + PoisonMarkerTokenization.MARKER + " season and its market");
  }
}
