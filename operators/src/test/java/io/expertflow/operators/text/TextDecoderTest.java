package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TextDecoderTest {

  @Test
  void shouldDecodeValidUtf8IncludingFourByteSequences() {
    String text = "Café 中文 😀";

    DecodedText decoded = TextDecoder.strict().decode(text.getBytes(StandardCharsets.UTF_8));

    assertThat(decoded.text()).isEqualTo(text);
    assertThat(decoded.valid()).isTrue();
    assertThat(decoded.firstInvalidByteOffset()).isEqualTo(-1);
    assertThat(TextDecoder.strict().decode(new byte[0]).text()).isEmpty();
  }

  @Test
  void shouldNameTheByteOffsetOfTheFirstMalformedSequence() {
    byte[] latin1 = "abc caf\u00e9!".getBytes(StandardCharsets.ISO_8859_1);

    assertThatThrownBy(() -> TextDecoder.strict().decode(latin1))
        .isInstanceOfSatisfying(
            InvalidUtf8Exception.class,
            e -> {
              assertThat(e.byteOffset()).isEqualTo(7);
              assertThat(e.malformedLength()).isEqualTo(1);
            })
        .hasMessageContaining("byte offset 7 of 9")
        .hasMessageNotContaining("caf");
  }

  @Test
  void shouldRejectTruncatedOverlongAndSurrogateSequences() {
    assertOffset(new byte[] {'a', 'b', (byte) 0xE2, (byte) 0x82}, 2);
    assertOffset(new byte[] {'a', (byte) 0xC0, (byte) 0xAF}, 1);
    assertOffset(new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, 0);
    assertOffset(new byte[] {'x', (byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80}, 1);
  }

  @Test
  void shouldReplaceEachMalformedSequenceAndCountThem() {
    byte[] bytes = {'o', 'k', (byte) 0xFF, ' ', (byte) 0xC3, '(', ' ', (byte) 0xE2, (byte) 0x82};

    DecodedText decoded = TextDecoder.replacing().decode(bytes);

    assertThat(decoded.text()).isEqualTo("ok\uFFFD \uFFFD( \uFFFD");
    assertThat(decoded.replacedSequences()).isEqualTo(3);
    assertThat(decoded.firstInvalidByteOffset()).isEqualTo(2);
    assertThat(decoded.valid()).isFalse();
  }

  @Test
  void shouldKeepAByteOrderMarkForTheTokenizerToDrop() {
    byte[] bytes = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, 'h', 'i'};

    String text = TextDecoder.strict().decode(bytes).text();

    assertThat(text).isEqualTo("\uFEFFhi");
    assertThat(MiniLmTokenizerJson.tokenizer().encode(text)).containsExactly(101, 7632, 102);
  }

  private static void assertOffset(byte[] bytes, int offset) {
    assertThatThrownBy(() -> TextDecoder.strict().decode(bytes))
        .isInstanceOfSatisfying(
            InvalidUtf8Exception.class, e -> assertThat(e.byteOffset()).isEqualTo(offset));
  }
}
