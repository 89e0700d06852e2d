package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.djl.huggingface.tokenizers.jni.CharSpan;
import java.io.InputStream;
import java.text.Normalizer;
import java.text.Normalizer.Form;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compares ids and offsets with the Hugging Face tokenizers library itself (its Rust core, loaded
 * through DJL's JNI binding with the native library that the test dependency ships), on real text,
 * random mixed-script strings and every code point of the planes in use.
 */
class HuggingFaceParityTest {

  private static HuggingFaceTokenizer reference;
  private final WordPieceTokenizer tokenizer = MiniLmTokenizerJson.tokenizer();

  @BeforeAll
  static void loadReference() throws Exception {
    try (InputStream in = MiniLmTokenizerJson.open()) {
      reference =
          HuggingFaceTokenizer.newInstance(
              in, Map.of("truncation", "false", "padding", "false", "maxLength", "1000000"));
    }
  }

  @AfterAll
  static void closeReference() {
    if (reference != null) {
      reference.close();
    }
  }

  @Test
  void shouldMatchTheReferenceOnRealText() {
    List<String> texts = new ArrayList<>(RealText.englishLines());
    texts.addAll(RealText.multilingualLines());
    texts.add(String.join(" ", RealText.englishProse()));
    texts.add("hello [SEP] world [sep] [CLS][MASK]x\u0000\uFFFD\u0085 İ ǅ ß ﬁ 豈 \uD840\uDC00");

    assertThat(mismatches(texts)).isEmpty();
  }

  @Test
  void shouldMatchTheReferenceOnRandomMixedScriptStrings() {
    int[][] blocks = {
      {0x0000, 0x007F}, {0x0080, 0x024F}, {0x0300, 0x036F}, {0x0370, 0x04FF}, {0x0590, 0x06FF},
      {0x0900, 0x097F}, {0x0E00, 0x0E7F}, {0x1100, 0x11FF}, {0x1E00, 0x206F}, {0x3000, 0x30FF},
      {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xFF00, 0xFFEF}, {0x1F300, 0x1F64F}, {0x20000, 0x2B91F}
    };
    Random random = new Random(20240917L);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      StringBuilder text = new StringBuilder();
      int length = 1 + random.nextInt(40);
      for (int k = 0; k < length; k++) {
        int[] block = blocks[random.nextInt(blocks.length)];
        text.appendCodePoint(block[0] + random.nextInt(block[1] - block[0] + 1));
      }
      texts.add(text.toString());
    }

    assertThat(mismatches(texts)).isEmpty();
  }

  /**
   * Every code point alone, inside a word and as a word of its own; checked in groups of 512 for
   * speed, and code point by code point within a group that differs, to name the culprit.
   */
  @Test
  void shouldMatchTheReferenceOnEveryCodePoint() {
    int[][] ranges = {{0, 0x323AF}, {0xE0000, 0xE0FFF}, {0xF0000, 0xF00FF}, {0x10FF00, 0x10FFFF}};
    List<String> differing = new ArrayList<>();
    int checked = 0;
    for (int[] range : ranges) {
      for (int first = range[0]; first <= range[1]; first += 512) {
        StringBuilder group = new StringBuilder();
        List<String> probes = new ArrayList<>();
        for (int cp = first; cp < first + 512 && cp <= range[1]; cp++) {
          if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
            continue;
          }
          String c = Character.toString(cp);
          String probe = "ab" + c + "c " + c + " ";
          probes.add(probe);
          group.append(probe);
          checked++;
        }
        if (!mismatches(List.of(group.toString())).isEmpty()) {
          differing.addAll(mismatches(probes));
        }
      }
    }
    assertThat(checked).isGreaterThan(200_000);
    assertThat(differing).isEmpty();
  }

  /** Texts whose ids or offsets differ, each with what both sides said. */
  private List<String> mismatches(List<String> texts) {
    List<String> out = new ArrayList<>();
    Encoding[] expected = reference.batchEncode(texts);
    for (int t = 0; t < texts.size(); t++) {
      String text = texts.get(t);
      long[] want = expected[t].getIds();
      TokenizedText pieces = tokenizer.tokenize(text);
      int[] got = new int[pieces.size() + 2];
      got[0] = tokenizer.clsId();
      pieces.copyIds(0, pieces.size(), got, 1);
      got[got.length - 1] = tokenizer.sepId();
      if (!Arrays.equals(got, Arrays.stream(want).mapToInt(id -> (int) id).toArray())) {
        out.add(
            describe(text)
                + ": reference "
                + Arrays.toString(want)
                + ", ours "
                + Arrays.toString(got));
      } else if (!needsCanonicalReordering(text)) {
        String offsets = offsetMismatch(text, pieces, expected[t].getCharTokenSpans());
        if (offsets != null) {
          out.add(describe(text) + ": " + offsets);
        }
      }
    }
    return out;
  }

  private static String offsetMismatch(String text, TokenizedText pieces, CharSpan[] spans) {
    for (int i = 0; i < pieces.size(); i++) {
      // the reference counts code points, we count UTF-16 chars
      int start = text.codePointCount(0, pieces.startOffset(i));
      int end = text.codePointCount(0, pieces.endOffset(i));
      CharSpan span = spans[i + 1];
      if (span.getStart() != start || span.getEnd() != end) {
        return "piece "
            + i
            + " at "
            + start
            + ".."
            + end
            + ", reference "
            + span.getStart()
            + ".."
            + span.getEnd();
      }
    }
    return null;
  }

  /**
   * True when NFD reorders combining marks of the text (marks typed out of canonical order); the
   * offsets of such pieces are documented to differ, the ids do not.
   */
  private static boolean needsCanonicalReordering(String text) {
    StringBuilder oneByOne = new StringBuilder();
    text.codePoints()
        .forEach(cp -> oneByOne.append(Normalizer.normalize(Character.toString(cp), Form.NFD)));
    return !oneByOne.toString().equals(Normalizer.normalize(text, Form.NFD));
  }

  private static String describe(String text) {
    StringBuilder codePoints = new StringBuilder();
    text.codePoints().limit(12).forEach(cp -> codePoints.append(String.format("U+%04X ", cp)));
    return codePoints.toString().trim() + (text.codePointCount(0, text.length()) > 12 ? "..." : "");
  }
}
