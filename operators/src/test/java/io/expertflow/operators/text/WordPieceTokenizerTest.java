package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Ids derived by hand from the vocabulary of all-MiniLM-L6-v2 (BERT uncased): the words below are
 * normalized and split as BERT does, and each piece is looked up in {@code model.vocab}.
 */
class WordPieceTokenizerTest {

  private final WordPieceTokenizer tokenizer = MiniLmTokenizerJson.tokenizer();

  @Test
  void shouldEncodeTheWellKnownHelloWorldVector() {
    assertThat(tokenizer.encode("hello world")).containsExactly(101, 7592, 2088, 102);
  }

  @Test
  void shouldStripAccentsAndLowercase() {
    // cafe 7668, naive 15743, resume 13746
    assertThat(tokenizer.encode("Café naïve RÉSUMÉ")).containsExactly(101, 7668, 15743, 13746, 102);
    // İ decomposes to I + U+0307; the mark is dropped: istanbul 9960
    assertThat(tokenizer.encode("İstanbul")).containsExactly(101, 9960, 102);
  }

  @Test
  void shouldMakeEachCjkIdeographAWordOfItsOwn() {
    // 中 1746, 文 1861, 日 1864, 本 1876, 語 1950
    assertThat(tokenizer.encode("中文日本語")).containsExactly(101, 1746, 1861, 1864, 1876, 1950, 102);
    // simplified ideographs missing from the vocabulary: one [UNK] each, not one for the run
    assertThat(tokenizer.encode("自然语言处理")).containsExactly(101, 100, 100, 100, 100, 100, 100, 102);
  }

  @Test
  void shouldSplitWordsIntoContinuationPiecesByLongestMatch() {
    // una 14477 ##ffa 20961 ##ble 3468 token 19204 ##ization 3989
    assertThat(tokenizer.encode("unaffable tokenization"))
        .containsExactly(101, 14477, 20961, 3468, 19204, 3989, 102);
    // the quick brown fox jumps over the lazy dog .
    assertThat(tokenizer.encode("The quick brown fox jumps over the lazy dog."))
        .containsExactly(101, 1996, 4248, 2829, 4419, 14523, 2058, 1996, 13971, 3899, 1012, 102);
  }

  @Test
  void shouldIsolateEveryPunctuationCharacter() {
    // don 2123 ' 1005 t 1056 stop 2644
    assertThat(tokenizer.encode("don't stop")).containsExactly(101, 2123, 1005, 1056, 2644, 102);
    // u 1057 . 1012 s 1055 . a 1037 .
    assertThat(tokenizer.encode("U.S.A."))
        .containsExactly(101, 1057, 1012, 1055, 1012, 1037, 1012, 102);
    // wait . . . what ? ! e - mail ( x + y ) = z $ 5 . 00 50 %
    assertThat(tokenizer.encode("Wait... what?! e-mail (x+y)=z $5.00 50%"))
        .containsExactly(
            101, 3524, 1012, 1012, 1012, 2054, 1029, 999, 1041, 1011, 5653, 1006, 1060, 1009, 1061,
            1007, 1027, 1062, 1002, 1019, 1012, 4002, 2753, 1003, 102);
  }

  @Test
  void shouldSplitNumbersAtPunctuationAndIntoKnownPieces() {
    // pi is 3 . 141 ##59 , about 1 , 000 , 000 people in 202 ##4 .
    assertThat(tokenizer.encode("Pi is 3.14159, about 1,000,000 people in 2024."))
        .containsExactly(
            101, 14255, 2003, 1017, 1012, 15471, 28154, 1010, 2055, 1015, 1010, 2199, 1010, 2199,
            2111, 1999, 16798, 2549, 1012, 102);
  }

  @Test
  void shouldTreatTabsAndLineBreaksAsSpaces() {
    // one 2028 two 2048 three 2093 four 2176
    assertThat(tokenizer.encode("one\ttwo\nthree\r\nfour"))
        .containsExactly(101, 2028, 2048, 2093, 2176, 102);
  }

  @Test
  void shouldDropFormatCharactersInsideWords() {
    // zero-width space and soft hyphen are removed: zero ##wi ##dt ##h, soft ##hy ##ph ##en
    assertThat(tokenizer.encode("zero\u200Bwidth soft\u00ADhyphen"))
        .containsExactly(101, 5717, 9148, 11927, 2232, 3730, 10536, 8458, 2368, 102);
  }

  @Test
  void shouldTokenizeCyrillicArabicGreekAndHangul() {
    // п ##р ##и ##в ##е ##т , м ##и ##р !
    assertThat(tokenizer.encode("Привет, мир!"))
        .containsExactly(
            101, 1194, 16856, 10325, 25529, 15290, 22919, 1010, 1191, 10325, 16856, 999, 102);
    // م ##ر ##ح ##ب ##ا ب ##ا ##ل ##ع ##ا ##ل ##م
    assertThat(tokenizer.encode("مرحبا بالعالم"))
        .containsExactly(
            101, 1295, 17149, 29820, 29816, 25573, 1271, 25573, 23673, 29830, 25573, 23673, 22192,
            102);
    // no final-sigma rule: σ ##ι ##σ ##υ ##φ ##ο ##σ (the tonos is stripped)
    assertThat(tokenizer.encode("ΣΊΣΥΦΟΣ"))
        .containsExactly(101, 1173, 18199, 29733, 29735, 29736, 29730, 29733, 102);
    // NFD splits each Hangul syllable into its jamo: ᄒ ##ᅡ ##ᆫ ##ᄀ ##ᅮ ##ᆨ ##ᄋ ##ᅥ
    assertThat(tokenizer.encode("한국어"))
        .containsExactly(101, 1469, 30006, 30021, 29991, 30014, 30020, 29999, 30008, 102);
  }

  @Test
  void shouldMapEmojiToUnknownButKeepTheRest() {
    // i 1045, ❤️ [UNK], nl 17953 ##p 2361, 😀 [UNK], ! 999
    assertThat(tokenizer.encode("I ❤️ NLP 😀!"))
        .containsExactly(101, 1045, 100, 17953, 2361, 100, 999, 102);
  }

  @Test
  void shouldMapAWordLongerThanTheLimitToOneUnknown() {
    assertThat(tokenizer.maxInputCharsPerWord()).isEqualTo(100);
    assertThat(tokenizer.encode("a".repeat(300))).containsExactly(101, 100, 102);
    assertThat(tokenizer.encode("a".repeat(101))).containsExactly(101, 100, 102);
    // exactly 100 chars is still split: aaa ##aa x 48 ##a
    int[] ids = tokenizer.encode("a".repeat(100));
    assertThat(ids).hasSize(52);
    assertThat(ids[1]).isEqualTo(13360);
    assertThat(java.util.Arrays.copyOfRange(ids, 2, 50)).containsOnly(11057);
    assertThat(ids[50]).isEqualTo(2050);
  }

  @Test
  void shouldMatchSpecialTokensVerbatimButNotLowercased() {
    // hello [SEP] world, then "[sep]" is plain text: [ 1031 sep 19802 ] 1033
    assertThat(tokenizer.encode("hello [SEP] world [sep]"))
        .containsExactly(101, 7592, 102, 2088, 1031, 19802, 1033, 102);
    assertThat(tokenizer.encode("[CLS][MASK]x")).containsExactly(101, 101, 103, 1060, 102);
  }

  @Test
  void shouldReportOffsetsOfEachPieceInTheOriginalText() {
    String text = "Café  unaffable, 😀x";
    TokenizedText pieces = tokenizer.tokenize(text);

    List<String> spans = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      spans.add(text.substring(pieces.startOffset(i), pieces.endOffset(i)));
    }
    assertThat(spans).containsExactly("Café", "una", "ffa", "ble", ",", "😀x");
  }

  @Test
  void shouldReturnNoPiecesForEmptyOrInvisibleText() {
    assertThat(tokenizer.tokenize("").isEmpty()).isTrue();
    assertThat(tokenizer.tokenize(" \t\n\u00A0\u200B\u0000").isEmpty()).isTrue();
    assertThat(tokenizer.encode("")).containsExactly(101, 102);
  }

  @Test
  void shouldStopAtTheRequestedNumberOfPiecesAndSaySo() {
    TokenizedText all = tokenizer.tokenize("one two three four");
    TokenizedText firstTwo = tokenizer.tokenize("one two three four", 2);
    TokenizedText exactlyFour = tokenizer.tokenize("one two three four", 4);

    assertThat(all.truncated()).isFalse();
    assertThat(firstTwo.ids()).containsExactly(2028, 2048);
    assertThat(firstTwo.truncated()).isTrue();
    assertThat(exactlyFour.ids()).containsExactly(all.ids());
    assertThat(exactlyFour.truncated()).isFalse();
    assertThat(tokenizer.tokenize("unaffable", 1).ids()).containsExactly(14477);
  }

  @Test
  void shouldExposeSpecialIdsAndTheVocabulary() {
    assertThat(tokenizer.clsId()).isEqualTo(101);
    assertThat(tokenizer.sepId()).isEqualTo(102);
    assertThat(tokenizer.padId()).isZero();
    assertThat(tokenizer.unkId()).isEqualTo(100);
    assertThat(tokenizer.vocabularySize()).isEqualTo(30522);
    assertThat(tokenizer.token(3989)).isEqualTo("##ization");
    assertThat(tokenizer.id("hello")).hasValue(7592);
    assertThat(tokenizer.id("no-such-token")).isEmpty();
    assertThatThrownBy(() -> tokenizer.token(30522))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("30522");
  }

  @Test
  void shouldGiveTheSameIdsWhenSharedByManyThreads() throws Exception {
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      texts.add("Document " + i + ": Café naïve résumé, 中文 " + "tokenization ".repeat(i % 7));
    }
    List<int[]> expected = new ArrayList<>();
    texts.forEach(t -> expected.add(tokenizer.encode(t)));

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<int[]>> results = new ArrayList<>();
      for (String t : texts) {
        results.add(pool.submit(() -> tokenizer.encode(t)));
      }
      for (int i = 0; i < texts.size(); i++) {
        assertThat(results.get(i).get(10, TimeUnit.SECONDS)).containsExactly(expected.get(i));
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
