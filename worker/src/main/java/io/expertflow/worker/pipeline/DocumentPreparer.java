package io.expertflow.worker.pipeline;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.model.RejectedInputException;
import io.expertflow.model.Tokenization;
import io.expertflow.model.TokenizedText;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Validates a request's text and tokenises it. Stateless and thread-safe (runs on the CPU pool).
 * Messages name sizes and positions, never the text.
 */
final class DocumentPreparer {
  private final Tokenization tokenization;
  private final int maxTextBytes;

  DocumentPreparer(Tokenization tokenization, int maxTextBytes) {
    this.tokenization = tokenization;
    this.maxTextBytes = maxTextBytes;
  }

  PreparedDocument prepare(InferenceRequest request) {
    String text = textOf(request);
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    if (utf8.length > maxTextBytes) {
      throw new RejectedInputException(
          DeadLetterReason.TOO_LARGE,
          "document is "
              + utf8.length
              + " bytes, over the worker's limit of "
              + maxTextBytes
              + " bytes; split it or raise the limit");
    }
    if (text.isBlank()) {
      throw new RejectedInputException(
          DeadLetterReason.EMPTY_TEXT,
          "document text is empty or only whitespace (" + text.length() + " chars)");
    }
    TokenizedText tokens = tokenization.tokenize(text);
    if (tokens.chunks().isEmpty()) {
      throw new RejectedInputException(
          DeadLetterReason.EMPTY_TEXT, "document has no tokens the encoder can read");
    }
    return new PreparedDocument(tokens, sha256(utf8));
  }

  private static String textOf(InferenceRequest request) {
    if (request.getText() != null) {
      return request.getText();
    }
    List<String> chunks = request.getChunks();
    if (chunks == null) {
      throw new RejectedInputException(
          DeadLetterReason.MISSING_FIELD, "request has neither text nor chunks; set one of them");
    }
    return String.join("\n", chunks);
  }

  static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
