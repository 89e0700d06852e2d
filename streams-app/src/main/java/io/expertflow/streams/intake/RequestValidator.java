package io.expertflow.streams.intake;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Checks a decoded request against the intake limits. Details name sizes, fields and ids, never
 * document text. Immutable; thread-safe.
 */
public final class RequestValidator {
  private final IntakeConfig config;

  public RequestValidator(IntakeConfig config) {
    this.config = config;
  }

  /**
   * The first problem of {@code request} at wall-clock time {@code nowMs}, or empty when it is
   * acceptable. Well-formed UTF-8 of the raw bytes is checked apart ({@link StrictUtf8}); here lone
   * surrogates in the decoded strings are caught.
   */
  public Optional<Rejection> check(InferenceRequest request, long nowMs) {
    if (request.getRequestId().isBlank()) {
      return reject(
          DeadLetterReason.MISSING_FIELD, "request_id is empty; give every request a unique id");
    }
    String id = request.getRequestId();
    if (request.getDocumentId().isBlank()) {
      return reject(
          DeadLetterReason.MISSING_FIELD, "request " + id + ": document_id is empty; set it");
    }
    if (request.getTenant().isBlank()) {
      return reject(DeadLetterReason.MISSING_FIELD, "request " + id + ": tenant is empty; set it");
    }
    if (request.getTask().isBlank()) {
      return reject(
          DeadLetterReason.MISSING_FIELD,
          "request " + id + ": task is empty; set it (e.g. classify)");
    }
    if (!config.allowedTenants().isEmpty()
        && !config.allowedTenants().contains(request.getTenant())) {
      return reject(
          DeadLetterReason.UNKNOWN_TENANT,
          "request "
              + id
              + ": tenant '"
              + request.getTenant()
              + "' is not among the allowed tenants; add it to the intake allowed tenants or fix the client");
    }
    int priority = request.getPriority();
    if (priority < 0 || priority > config.maxPriority()) {
      return reject(
          DeadLetterReason.INVALID_FIELD,
          "request "
              + id
              + ": priority "
              + priority
              + " is outside [0, "
              + config.maxPriority()
              + "]");
    }
    if (request.getDeadline() != null && request.getDeadline().toEpochMilli() <= nowMs) {
      return reject(
          DeadLetterReason.DEADLINE_PASSED,
          "request "
              + id
              + ": deadline "
              + request.getDeadline()
              + " had passed at intake ("
              + java.time.Instant.ofEpochMilli(nowMs)
              + "); resubmit with a later deadline");
    }
    return checkText(request, id);
  }

  private Optional<Rejection> checkText(InferenceRequest request, String id) {
    List<String> parts =
        request.getText() != null
            ? List.of(request.getText())
            : request.getChunks() == null ? List.of() : request.getChunks();
    if (request.getText() == null && parts.size() > config.maxChunks()) {
      return reject(
          DeadLetterReason.TOO_LARGE,
          "request "
              + id
              + ": "
              + parts.size()
              + " chunks, more than the limit of "
              + config.maxChunks()
              + "; send fewer, larger chunks or the full text");
    }
    long bytes = 0;
    boolean blank = true;
    for (String part : parts) {
      if (hasLoneSurrogate(part)) {
        return reject(
            DeadLetterReason.INVALID_UTF8,
            "request " + id + ": the text holds a lone UTF-16 surrogate; send well-formed Unicode");
      }
      bytes += part.getBytes(StandardCharsets.UTF_8).length;
      blank &= part.isBlank();
    }
    if (blank) {
      return reject(
          DeadLetterReason.EMPTY_TEXT,
          "request " + id + ": neither text nor chunks hold any non-blank text; send the document");
    }
    if (bytes > config.maxTextBytes()) {
      return reject(
          DeadLetterReason.TOO_LARGE,
          "request "
              + id
              + ": the document has "
              + bytes
              + " UTF-8 bytes, more than the limit of "
              + config.maxTextBytes()
              + "; split it into several requests");
    }
    return Optional.empty();
  }

  static boolean hasLoneSurrogate(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
          i++;
        } else {
          return true;
        }
      } else if (Character.isLowSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static Optional<Rejection> reject(DeadLetterReason reason, String detail) {
    return Optional.of(new Rejection(reason, detail));
  }
}
