package io.expertflow.operators.compliance;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The audit hash of a response's output. The canonical output string is, line by line: {@code
 * request}, {@code status}, each label with its score (best first), each expert with its gate
 * weight, the domain expert, model name and version. Text values are written length-prefixed
 * ({@code <chars>:<text>}) so no label name can forge a field boundary; floats use {@link
 * Float#toString(float)}, which is exact and stable. Stateless; thread-safe.
 */
public final class OutputDigest {
  private OutputDigest() {}

  /** The canonical output string of {@code response}; holds no document text. */
  public static String canonicalOutput(InferenceResponse response) {
    StringBuilder out = new StringBuilder(128);
    out.append("request=").append(text(response.getRequestId())).append('\n');
    out.append("status=").append(response.getStatus()).append('\n');
    for (LabelScore label : response.getLabels()) {
      out.append("label=")
          .append(text(label.getLabel()))
          .append('=')
          .append(Float.toString(label.getScore()))
          .append('\n');
    }
    for (ExpertGate gate : response.getExperts()) {
      out.append("expert=")
          .append(gate.getExpert())
          .append('=')
          .append(Float.toString(gate.getWeight()))
          .append('\n');
    }
    out.append("domain=").append(response.getDomainExpert()).append('\n');
    out.append("model=").append(text(response.getModelName())).append('\n');
    out.append("version=").append(text(response.getModelVersion())).append('\n');
    return out.toString();
  }

  /** SHA-256 (lower-case hex) of the UTF-8 canonical output string. */
  public static String sha256(InferenceResponse response) {
    return sha256Hex(canonicalOutput(response));
  }

  /** SHA-256 (lower-case hex) of the UTF-8 bytes of {@code value}. */
  public static String sha256Hex(String value) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  private static String text(CharSequence value) {
    String s = value.toString();
    return s.length() + ":" + s;
  }
}
