package io.expertflow.operators.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Properties that hold for any text, checked on several thousand lines of real text against a slow,
 * independent restatement of the BERT rules written with regular expressions.
 */
class WordPieceInvariantsTest {

  private static final Pattern CONTROL =
      Pattern.compile("[\\p{Cc}\\p{Cf}\\p{Co}\\p{Cs}&&[^\\t\\n\\r]]");
  private static final Pattern CJK =
      Pattern.compile("([\\x{4E00}-\\x{9FFF}\\x{3400}-\\x{4DBF}\\x{F900}-\\x{FAFF}])");
  private static final Pattern WORD_OR_PUNCT =
      Pattern.compile("[\\p{P}!-/:-@\\[-`{-~]|[^\\p{P}!-/:-@\\[-`{-~\\s\\u0085\\p{Z}]+");

  private final WordPieceTokenizer tokenizer = MiniLmTokenizerJson.tokenizer();

  @Test
  void shouldKeepEveryIdInsideTheVocabulary() {
    List<String> lines = new ArrayList<>(RealText.multilingualLines());
    lines.addAll(RealText.englishLines());
    assertThat(lines).hasSizeGreaterThan(3000);

    List<String> outOfRange = new ArrayList<>();
    for (String line : lines) {
      for (int id : tokenizer.tokenize(line).ids()) {
        if (id < 0 || id >= tokenizer.vocabularySize()) {
          outOfRange.add(id + " in " + line);
        }
      }
    }
    assertThat(outOfRange).isEmpty();
  }

  @Test
  void shouldRebuildTheNormalizedWordsFromThePieces() {
    List<String> lines = new ArrayList<>(RealText.multilingualLines());
    lines.addAll(RealText.englishLines());
    int words = 0;
    int unknown = 0;

    List<String> mismatches = new ArrayList<>();
    for (String line : lines) {
      List<String> expected = referenceWords(line);
      List<String> rebuilt = rebuildWords(tokenizer.tokenize(line));
      if (rebuilt.size() != expected.size()) {
        mismatches.add(line + ": " + expected + " vs " + rebuilt);
        continue;
      }
      for (int i = 0; i < expected.size(); i++) {
        if (rebuilt.get(i) == null) {
          unknown++;
        } else if (!rebuilt.get(i).equals(expected.get(i))) {
          mismatches.add(line + ": " + expected.get(i) + " vs " + rebuilt.get(i));
        }
      }
      words += expected.size();
    }
    assertThat(mismatches).isEmpty();
    assertThat(words).isGreaterThan(10_000);
    // scripts the uncased vocabulary lacks (Thai, Khmer, Amharic...) are [UNK] word by word
    assertThat(unknown).as("[UNK] words").isPositive().isLessThan(words / 4);
  }

  @Test
  void shouldNeverProduceUnknownForPlainEnglish() {
    List<String> withUnknown = new ArrayList<>();
    for (String line : RealText.englishLines()) {
      for (int id : tokenizer.tokenize(line).ids()) {
        if (id == tokenizer.unkId()) {
          withUnknown.add(line);
        }
      }
    }
    assertThat(RealText.englishLines()).hasSizeGreaterThan(1000);
    assertThat(withUnknown).isEmpty();
  }

  @Test
  void shouldTokenizeEveryWholeWordOfTheVocabularyToItself() {
    Pattern plainWord = Pattern.compile("[a-z0-9]+");
    int checked = 0;
    List<String> notItself = new ArrayList<>();
    for (int id = 0; id < tokenizer.vocabularySize(); id++) {
      String token = tokenizer.token(id);
      if (plainWord.matcher(token).matches()) {
        int[] ids = tokenizer.tokenize(token).ids();
        if (ids.length != 1 || ids[0] != id) {
          notItself.add(token);
        }
        checked++;
      }
    }
    assertThat(notItself).isEmpty();
    assertThat(checked).isGreaterThan(20_000);
  }

  @Test
  void shouldPointEveryPieceAtTextThatNormalizesToIt() {
    for (String line : RealText.englishProse()) {
      TokenizedText pieces = tokenizer.tokenize(line);
      for (int i = 0; i < pieces.size(); i++) {
        String source = line.substring(pieces.startOffset(i), pieces.endOffset(i));
        String piece = tokenizer.token(pieces.id(i)).replaceFirst("^##", "");
        assertThat(normalize(source)).isEqualTo(piece);
      }
    }
  }

  /** Pieces joined back into words; null stands for a word that became [UNK]. */
  private List<String> rebuildWords(TokenizedText pieces) {
    List<String> words = new ArrayList<>();
    for (int i = 0; i < pieces.size(); i++) {
      String token = tokenizer.token(pieces.id(i));
      if (pieces.id(i) == tokenizer.unkId()) {
        words.add(null);
      } else if (token.startsWith("##")) {
        words.set(words.size() - 1, words.get(words.size() - 1) + token.substring(2));
      } else {
        words.add(token);
      }
    }
    return words;
  }

  private static List<String> referenceWords(String text) {
    List<String> words = new ArrayList<>();
    Matcher m = WORD_OR_PUNCT.matcher(normalize(text));
    while (m.find()) {
      words.add(m.group());
    }
    return words;
  }

  private static String normalize(String text) {
    String s = CONTROL.matcher(text).replaceAll("").replace("\u0000", "").replace("\uFFFD", "");
    s = CJK.matcher(s).replaceAll(" $1 ");
    s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{Mn}", "");
    StringBuilder lower = new StringBuilder();
    s.codePoints().forEach(cp -> lower.appendCodePoint(Character.toLowerCase(cp)));
    return lower.toString();
  }
}
