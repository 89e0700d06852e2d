package io.expertflow.model.lexical;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LexicalModelTest {
  private static final int OFFER = LexicalFeatures.bucket("offer");
  private static final int MEETING = LexicalFeatures.bucket("meeting");

  /** Spam reads "offer" (+4), ham reads "meeting" (+4); every other bucket is unused. */
  private static LexicalModel spamOrHam(double weight) {
    float[] idf = new float[LexicalFeatures.BUCKETS];
    idf[OFFER] = 1;
    idf[MEETING] = 1;
    float[][] w = new float[2][LexicalFeatures.BUCKETS + 1];
    w[0][OFFER] = 4;
    w[1][MEETING] = 4;
    return LexicalModel.of(List.of("spam", "ham"), weight, idf, w);
  }

  @Test
  void shouldSplitIntoLowerCasedWordsAndPairsOfNeighbours() {
    assertThat(LexicalFeatures.terms("Dog bites, MAN!  3 times"))
        .containsExactly(
            "dog", "bites", "man", "3", "times", "dog bites", "bites man", "man 3", "3 times");
    assertThat(LexicalFeatures.terms(" ... ")).isEmpty();
  }

  @Test
  void shouldKeepOnlyTheBucketsInUseAndReadTheirWords() {
    LexicalModel model = spamOrHam(1);

    assertThat(model.features()).isEqualTo(2);
    double spam = Math.exp(4) / (Math.exp(4) + 1);
    assertThat(model.probabilities("OFFER"))
        .containsExactly(new double[] {spam, 1 - spam}, within(1e-12));
    // words it never saw leave the bias alone: both labels equally likely
    assertThat(model.probabilities("unknown words")).containsExactly(0.5, 0.5);
  }

  @Test
  void shouldWeighItsLogProbabilitiesBesideTheHeadsAndGiveAnAddedLabelItsBest() {
    LexicalModel model = spamOrHam(0.5);
    double spam = Math.exp(4) / (Math.exp(4) + 1);
    float[] head = {0.5f, 0.3f, 0.2f};

    float[] p = model.fuse(List.of("ham", "spam", "learned"), head, "offer");

    // the label an update added ("learned") gets the word evidence of the others' answer, spam
    double[] z = {
      0.5 * Math.sqrt(1 - spam), 0.3 * Math.sqrt(spam), 0.2f * Math.sqrt(spam),
    };
    double sum = z[0] + z[1] + z[2];
    assertThat(p[0]).isCloseTo((float) (z[0] / sum), within(1e-6f));
    assertThat(p[1]).isCloseTo((float) (z[1] / sum), within(1e-6f));
    assertThat(p[2]).isCloseTo((float) (z[2] / sum), within(1e-6f));
    // the words move the answer from ham (the head's) to spam
    assertThat(p[1]).isGreaterThan(p[0]);
    // where the head overrules the words (ham), the added label gets ham's word evidence, not
    // spam's: it takes the answer's place only if the head prefers it to ham
    float[] sure =
        model.fuse(List.of("ham", "spam", "learned"), new float[] {0.98f, 0.01f, 0.01f}, "offer");
    assertThat(sure[0]).isGreaterThan(sure[1]);
    assertThat((double) sure[2] / sure[1]).isCloseTo(Math.sqrt((1 - spam) / spam), within(1e-4));
    assertThatThrownBy(() -> model.fuse(List.of("ham"), head, "offer"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("3 probabilities for 1 labels");
  }

  @Test
  void shouldReadBackWhatItWrote(@TempDir Path dir) {
    Path file = dir.resolve(LexicalModel.FILE);
    spamOrHam(0.3).write(file);

    LexicalModel read = LexicalModel.read(file);

    assertThat(read.labels()).containsExactly("spam", "ham");
    assertThat(read.weight()).isEqualTo(0.3);
    assertThat(read.features()).isEqualTo(2);
    assertThat(read.probabilities("a meeting offer"))
        .containsExactly(spamOrHam(0.3).probabilities("a meeting offer"));
  }

  @Test
  void shouldNameWhatIsWrongWithABadFile(@TempDir Path dir) throws IOException {
    Path file = dir.resolve(LexicalModel.FILE);
    spamOrHam(0.3).write(file);
    byte[] bytes = Files.readAllBytes(file);

    Files.write(file, Arrays.copyOf(bytes, bytes.length - 3));
    assertThatThrownBy(() -> LexicalModel.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ends early");

    byte[] other = bytes.clone();
    other[0] = 'X';
    Files.write(file, other);
    assertThatThrownBy(() -> LexicalModel.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not a TF-IDF model");

    Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
    assertThatThrownBy(() -> LexicalModel.read(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bytes after the last weight");

    assertThatThrownBy(() -> spamOrHam(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
