package io.expertflow.bench.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.Tokenization;
import io.expertflow.model.Tokenizations;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.operators.text.ChunkingConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real sentences cut to an exact number of chunks under MiniLM's tokenizer. */
class LengthDocumentsTest {
  @TempDir Path dir;

  private static final String PARAGRAPH =
      "The committee met on Tuesday to review the proposal for the new bridge across the river."
          + " Several members raised questions about the cost, the schedule and the effect on"
          + " traffic in the old town, and the engineers answered each of them in turn. ";

  @Test
  void shouldCutDocumentsOfExactlyTheWantedChunks() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("model"), List.of("a", "b"));
    Tokenization tokenization =
        Tokenizations.forBundle(
            bundle,
            ChunkingConfig.builder().maxChunksPerDocument(LengthDocuments.MAX_CHUNKS).build());
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      texts.add(("Report " + i + ". ") + PARAGRAPH.repeat(10 + i));
    }
    LengthDocuments documents = new LengthDocuments(texts, tokenization);

    for (int n : new int[] {1, 4, 16, 32}) {
      List<String> made = documents.ofChunks(n, 3);
      assertThat(made).hasSize(3).doesNotHaveDuplicates();
      for (String d : made) {
        assertThat(tokenization.tokenize(d).chunks())
            .as("chunks of a %d-chunk document", n)
            .hasSize(n);
        assertThat(tokenization.tokenize(d).truncated()).isFalse();
      }
    }
  }

  @Test
  void shouldSayWhenTheTextsAreTooShort() {
    ModelBundle bundle = ModelBundles.tiny(dir.resolve("model"), List.of("a", "b"));
    Tokenization tokenization = Tokenizations.forBundle(bundle, ChunkingConfig.defaults());
    LengthDocuments documents = new LengthDocuments(List.of("A short note."), tokenization);

    assertThatThrownBy(() -> documents.ofChunks(4, 1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too short for documents of 4 chunks");
  }
}
