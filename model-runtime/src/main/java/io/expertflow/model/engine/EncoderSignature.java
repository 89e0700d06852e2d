package io.expertflow.model.engine;

import java.util.Objects;

/**
 * The tensor names and limits of a BERT-style sentence encoder.
 *
 * @param inputIds int64 [batch, seq] token ids
 * @param attentionMask int64 [batch, seq], 1 for real tokens, 0 for padding
 * @param tokenTypeIds int64 [batch, seq] segment ids (all 0); fed only if the model declares it
 * @param lastHiddenState float [batch, seq, hidden] output that is pooled
 * @param maxSequenceLength the longest chunk the encoder accepts, in tokens
 * @param pooling how token states become a chunk embedding
 * @param prefix text the model expects before every input (e5: {@code "query: "}), or empty
 */
public record EncoderSignature(
    String inputIds,
    String attentionMask,
    String tokenTypeIds,
    String lastHiddenState,
    int maxSequenceLength,
    Pooling pooling,
    String prefix) {

  public static final String DEFAULT_INPUT_IDS = "input_ids";
  public static final String DEFAULT_ATTENTION_MASK = "attention_mask";
  public static final String DEFAULT_TOKEN_TYPE_IDS = "token_type_ids";
  public static final String DEFAULT_LAST_HIDDEN_STATE = "last_hidden_state";
  public static final int DEFAULT_MAX_SEQUENCE_LENGTH = 512;

  public EncoderSignature {
    Objects.requireNonNull(inputIds, "inputIds");
    Objects.requireNonNull(attentionMask, "attentionMask");
    Objects.requireNonNull(tokenTypeIds, "tokenTypeIds");
    Objects.requireNonNull(lastHiddenState, "lastHiddenState");
    Objects.requireNonNull(pooling, "pooling");
    Objects.requireNonNull(prefix, "prefix");
    if (maxSequenceLength < 2) {
      throw new IllegalArgumentException(
          "maxSequenceLength must be >= 2 (room for [CLS] and [SEP]), was " + maxSequenceLength);
    }
  }

  /** Mean pooling and no prefix. */
  public EncoderSignature(
      String inputIds,
      String attentionMask,
      String tokenTypeIds,
      String lastHiddenState,
      int maxSequenceLength) {
    this(
        inputIds,
        attentionMask,
        tokenTypeIds,
        lastHiddenState,
        maxSequenceLength,
        Pooling.MEAN,
        "");
  }

  /** The names of Hugging Face BERT exports, with a maximum of 512 tokens. */
  public static EncoderSignature defaults() {
    return new EncoderSignature(
        DEFAULT_INPUT_IDS,
        DEFAULT_ATTENTION_MASK,
        DEFAULT_TOKEN_TYPE_IDS,
        DEFAULT_LAST_HIDDEN_STATE,
        DEFAULT_MAX_SEQUENCE_LENGTH);
  }

  public EncoderSignature withMaxSequenceLength(int value) {
    return new EncoderSignature(
        inputIds, attentionMask, tokenTypeIds, lastHiddenState, value, pooling, prefix);
  }

  /** The same names with another pooling and input prefix. */
  public EncoderSignature withPooling(Pooling value, String inputPrefix) {
    return new EncoderSignature(
        inputIds,
        attentionMask,
        tokenTypeIds,
        lastHiddenState,
        maxSequenceLength,
        value,
        inputPrefix);
  }
}
