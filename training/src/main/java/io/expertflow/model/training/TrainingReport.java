package io.expertflow.model.training;

import io.expertflow.model.corpus.BrownCorpus;
import io.expertflow.model.corpus.SpamAssassinCorpus;
import io.expertflow.operators.moe.ExpertLoad;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.update.ShiftFigures;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The held-out figures and bookkeeping of one training run (all figures on test documents).
 *
 * @param head the head's test figures
 * @param testLoad how the test documents spread over the experts
 * @param trainLoad how the training samples spread over the experts
 * @param documentLoad how every document of the trained labels (train, validation and test, one
 *     document embedding each, as served) spreads over the experts: with E = 128 and k = 2 the test
 *     documents alone are too few to reach every expert even under a perfectly even router
 * @param bestEpoch the epoch whose weights were kept
 * @param documentsBySplit number of documents in each split
 * @param chunksEmbedded chunks the encoder ran on in this run (0 on a warm cache)
 * @param chunksFromCache chunks found in the embedding cache
 * @param timingsMillis wall time of each stage, and {@code total}
 * @param shift what the offline update of a shift model measured; null unless labels were held out
 * @param shiftCandidate the head that offline update produced (published or not); null with {@code
 *     shift}. Not written anywhere: for measurements of its own
 * @param retrain a head trained from scratch with the week's feedback, the reference the update is
 *     judged against; null unless labels were held out
 * @param linearProbe the same test figures for a plain logistic regression trained on the same
 *     samples (the baseline the head is compared with)
 * @param tfIdf the same test figures for a linear classifier on the documents' TF-IDF features
 *     ({@link TfIdfBaseline}): what a user could pick instead of an encoder
 * @param headWithTfIdf the same test figures for the head with the TF-IDF model beside it ({@link
 *     HeadWithTfIdf}): what the bundle serves when its weight is above 0
 * @param outDir where the outputs were written
 */
public record TrainingReport(
    Figures head,
    ExpertLoad testLoad,
    ExpertLoad trainLoad,
    ExpertLoad documentLoad,
    int bestEpoch,
    Map<Split, Integer> documentsBySplit,
    long chunksEmbedded,
    long chunksFromCache,
    Map<String, Long> timingsMillis,
    ShiftFigures shift,
    Retrain retrain,
    Figures linearProbe,
    Figures tfIdf,
    Combined headWithTfIdf,
    Path outDir,
    MoeHeadWeights shiftCandidate) {
  public TrainingReport {
    documentsBySplit = Map.copyOf(documentsBySplit);
    timingsMillis = Map.copyOf(timingsMillis);
  }

  /**
   * Held-out test figures of one classifier. The Brown and SpamAssassin figures are NaN where the
   * label space has no Brown genre or no {@code spam} (a user's own labels).
   *
   * @param genreAccuracy accuracy over documents of the 15 Brown genres
   * @param genreMacroF1 macro-F1 over the Brown genres that have test documents
   * @param spamPrecision precision of {@code spam} over mail documents
   * @param spamRecall recall of {@code spam}
   * @param spamF1 F1 of {@code spam}
   * @param accuracy accuracy over all test documents
   * @param macroF1 unweighted mean F1 over every label that has test documents
   */
  public record Figures(
      double genreAccuracy,
      double genreMacroF1,
      double spamPrecision,
      double spamRecall,
      double spamF1,
      double accuracy,
      double macroF1) {

    /** The figures of {@code m}; the Brown and spam ones NaN where its labels lack them. */
    static Figures of(ClassificationMetrics m) {
      List<String> labels = m.labels();
      Set<String> genres = new HashSet<>(BrownCorpus.GENRES);
      boolean spam = labels.contains(SpamAssassinCorpus.SPAM);
      return new Figures(
          m.accuracy(genres),
          m.macroF1(genres),
          spam ? m.precision(SpamAssassinCorpus.SPAM) : Double.NaN,
          spam ? m.recall(SpamAssassinCorpus.SPAM) : Double.NaN,
          spam ? m.f1(SpamAssassinCorpus.SPAM) : Double.NaN,
          m.accuracy(),
          m.macroF1(Set.copyOf(labels)));
    }

    /** Whether the label space holds the built-in corpora's labels (Brown genres, spam). */
    public boolean hasBuiltInCorpora() {
      return !Double.isNaN(genreAccuracy) || !Double.isNaN(spamF1);
    }
  }

  public double genreAccuracy() {
    return head.genreAccuracy();
  }

  public double genreMacroF1() {
    return head.genreMacroF1();
  }

  public double spamPrecision() {
    return head.spamPrecision();
  }

  public double spamRecall() {
    return head.spamRecall();
  }

  public double spamF1() {
    return head.spamF1();
  }

  public double accuracy() {
    return head.accuracy();
  }

  /**
   * The head with the TF-IDF model beside it.
   *
   * @param figures its test figures
   * @param weight the TF-IDF model's weight chosen on validation (0: the head alone)
   */
  public record Combined(Figures figures, double weight) {
    /** Whether the bundle serves it: a weight above 0 (at 0 it serves the head alone). */
    public boolean served() {
      return weight > 0;
    }
  }

  /** Whether this run trained a shift model and measured its update. */
  public boolean hasShift() {
    return shift != null;
  }

  /**
   * A head retrained from scratch on the training samples plus the week's feedback documents.
   *
   * @param newLabelAccuracy its accuracy on the evaluation pool
   * @param guardAccuracy its accuracy on the guard set
   * @param updateShare the update's gain on the evaluation pool over the retrain's (both from the
   *     shift model's accuracy before the update); NaN when the retrain gains nothing
   */
  public record Retrain(
      double newLabelAccuracy,
      double guardAccuracy,
      double updateShare,
      GuardHeld guardHeld,
      Served served,
      OtherLabels otherLabels) {
    /**
     * The lines {@code train} prints: this, held to the guard bound, served if measured, and what
     * the update and the retrain cost the other labels.
     */
    public List<String> summaries() {
      List<String> lines = new java.util.ArrayList<>(List.of(summary(), guardHeld.summary()));
      if (served != null) {
        lines.add(served.summary());
      }
      lines.add(otherLabels.summary());
      return lines;
    }

    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "retrained from scratch with the week's feedback: new label %.3f, guard %.3f; the"
              + " update reached %.0f %% of the retrain's gain",
          newLabelAccuracy,
          guardAccuracy,
          100 * updateShare);
    }
  }

  /**
   * What learning the new label cost the other labels, on documents that neither the update nor its
   * guard set sees: the validation documents (none of a held-out label) answered as served (with
   * the bundle's TF-IDF model where it has one) before the update, after it, and by the retrain.
   * The guard set is small, so this is the independent check of both. The retrain stopped early on
   * these documents, which flatters it.
   *
   * @param documents how many validation documents
   */
  public record OtherLabels(int documents, double before, double afterUpdate, double afterRetrain) {
    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "the other labels' %d validation documents, which neither the update nor its guard set"
              + " sees, served: %.3f before, %.3f after the update (%+.1f points), %.3f after the"
              + " retrain (%+.1f points; it stopped early on them)",
          documents,
          before,
          afterUpdate,
          100 * (afterUpdate - before),
          afterRetrain,
          100 * (afterRetrain - before));
    }
  }

  /**
   * The shift figures on the evaluation pool judged as workers answer: the head with the bundle's
   * TF-IDF model beside it (the pool's documents carry their text). The figures above are the
   * head's alone, as the update's held-out feedback (embeddings, no text) is judged.
   *
   * @param before the served model's accuracy on the pool before the update (0: it lacks the label)
   * @param after the update's candidate, served
   * @param retrain the retrain reference, served
   */
  public record Served(double before, double after, double retrain) {
    /**
     * The update's gain as a share of the retrain's, both served (NaN if the retrain gains none).
     */
    public double updateShare() {
      return retrain > before ? (after - before) / (retrain - before) : Double.NaN;
    }

    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "served, the head with its TF-IDF model beside it: new label %.3f -> %.3f after the"
              + " update, %.3f after the retrain; the update reached %.0f %% of the retrain's gain",
          before,
          after,
          retrain,
          100 * updateShare());
    }
  }

  /**
   * The retrain held to the update's guard bound: its held-out labels' logits lowered by {@code
   * offset} (infinite: never answered) so that its guard accuracy is within the update's bound of
   * {@code guardWithout}, its own with those labels never answered.
   *
   * @param updateShare the update's gain on the new label as a share of this one's
   */
  public record GuardHeld(
      double offset,
      double newLabelAccuracy,
      double guardAccuracy,
      double guardWithout,
      double updateShare) {
    GuardHeld withShare(double share) {
      return new GuardHeld(offset, newLabelAccuracy, guardAccuracy, guardWithout, share);
    }

    public String summary() {
      return String.format(
          java.util.Locale.ROOT,
          "held to the update's guard bound (new label's logit lowered by %s, guard %.3f against"
              + " %.3f without the label): new label %.3f; the update reached %.0f %% of that gain",
          Double.isInfinite(offset)
              ? "enough never to answer it"
              : String.format(java.util.Locale.ROOT, "%.3f", offset),
          guardAccuracy,
          guardWithout,
          newLabelAccuracy,
          100 * updateShare);
    }
  }
}
