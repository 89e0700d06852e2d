package io.expertflow.model.corpus;

import io.expertflow.model.corpus.DataProblem.Kind;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Reads a folder tree {@code ROOT/LABEL/**} whose first-level folder names are the labels: {@code
 * .txt} and {@code .md} as UTF-8 text, {@code .html} / {@code .htm} reduced to their visible text,
 * {@code .eml} (RFC 822 mail) reduced to its readable body parts as the SpamAssassin corpus is.
 * Other files, files directly under the root, and hidden files and folders (a name that starts with
 * a dot: {@code .git/}, {@code .ipynb_checkpoints/}, which hold copies) are skipped and counted.
 * Files are read one at a time in path order. Stateless.
 */
public final class FolderData {
  /** The file name endings read; the rest are skipped. */
  public static final Set<String> EXTENSIONS = Set.of("txt", "md", "html", "htm", "eml");

  private FolderData() {}

  /**
   * Reads the tree under {@code root}, passing each document or problem to {@code visitor}.
   *
   * @return how many files were skipped (other types, hidden, or not inside a label folder)
   */
  public static int read(Path root, DataVisitor visitor) {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException | UncheckedIOException e) {
      visitor.problem(new DataProblem(Kind.UNREADABLE, root.toString(), ErrorText.of(e)));
      return 0;
    }
    int skipped = 0;
    for (Path file : files) {
      Path relative = root.relativize(file);
      String extension = extension(file);
      if (relative.getNameCount() < 2 || !EXTENSIONS.contains(extension) || hidden(relative)) {
        skipped++;
        continue;
      }
      String label = relative.getName(0).toString();
      String source = file.toString();
      try {
        byte[] bytes = Files.readAllBytes(file);
        String text =
            switch (extension) {
              case "eml" -> MailText.extract(bytes);
              case "html", "htm" -> HtmlText.toText(DocumentFiles.strictText(bytes));
              default -> DocumentFiles.strictText(bytes);
            };
        String id = relative.toString().replace('\\', '/');
        visitor.record(new DataRecord(source, 0, id, label, text));
      } catch (CharacterCodingException e) {
        visitor.problem(new DataProblem(Kind.NOT_UTF8, source, "save the file as UTF-8 and retry"));
      } catch (IOException e) {
        visitor.problem(new DataProblem(Kind.UNREADABLE, source, ErrorText.of(e)));
      }
    }
    return skipped;
  }

  /**
   * Every regular file under {@code root}, in path order, but those with a hidden name on their
   * path below it: the files {@code submit} and {@code analyze} read from a folder.
   */
  public static List<Path> visibleFiles(Path root) throws IOException {
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(f -> Files.isRegularFile(f) && !hidden(root.relativize(f)))
          .sorted()
          .toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Whether a name on the {@code relative} path starts with a dot. */
  public static boolean hidden(Path relative) {
    for (Path name : relative) {
      if (name.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }

  private static String extension(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
