package io.expertflow.model.corpus;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * A file's text as the pipeline analyses it, read the way {@link FolderData} reads training files,
 * so that a worker is sent what the head was trained on: {@code .html} / {@code .htm} reduced to
 * their visible text, {@code .eml} mail to its readable body parts, any other file as UTF-8 text
 * (UTF-16 when it starts with its byte order mark). Files that are not text at all (a PDF, an
 * image, an archive, an office document) are told apart before they are read as text, whose
 * replacement characters would be answered as a document. Stateless.
 */
public final class DocumentFiles {
  /** Bytes looked at for a NUL, as git does to call a file binary. */
  static final int SNIFF_BYTES = 8000;

  private DocumentFiles() {}

  /**
   * A file's text.
   *
   * @param text what is analysed
   * @param valid false when bytes that are not UTF-8 were replaced by U+FFFD
   */
  public record Text(String text, boolean valid) {}

  /**
   * What the file holds when it is not text ("a PDF", "a ZIP archive or office document", ...);
   * empty for text. Known signatures first, then a NUL byte in the first {@value #SNIFF_BYTES}
   * bytes, which no UTF-8 text holds.
   */
  public static Optional<String> notText(byte[] bytes) {
    if (utf16(bytes)) {
      return Optional.empty(); // its NUL bytes are half its characters
    }
    if (starts(bytes, "%PDF-")) {
      return Optional.of("a PDF");
    }
    if (starts(bytes, 0x89, 'P', 'N', 'G') || starts(bytes, 0xFF, 0xD8, 0xFF)) {
      return Optional.of("an image");
    }
    if (starts(bytes, "GIF87a") || starts(bytes, "GIF89a")) {
      return Optional.of("an image");
    }
    if (starts(bytes, 'P', 'K', 3, 4)) {
      return Optional.of("a ZIP archive or office document");
    }
    if (starts(bytes, 0x1F, 0x8B)) {
      return Optional.of("a gzip archive");
    }
    for (int i = 0; i < Math.min(bytes.length, SNIFF_BYTES); i++) {
      if (bytes[i] == 0) {
        return Optional.of("binary data");
      }
    }
    return Optional.empty();
  }

  /** What the commands say of a file that is {@code what} (from {@link #notText}) and skip. */
  public static String notTextReason(String what) {
    return "not text (" + what + "); extract its text into a .txt file first";
  }

  /** The text of {@code file}, whose content is {@code bytes}, by its name's ending. */
  public static Text text(Path file, byte[] bytes) {
    String name = file.getFileName() == null ? "" : file.getFileName().toString();
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith(".eml")) {
      return new Text(MailText.extract(bytes), true); // honours the mail's own charsets
    }
    Text decoded = decode(bytes);
    if (lower.endsWith(".html") || lower.endsWith(".htm")) {
      return new Text(HtmlText.toText(decoded.text()), decoded.valid());
    }
    return decoded;
  }

  /**
   * UTF-8 past a byte order mark, as training reads it; invalid bytes replaced and said. A file
   * that starts with a UTF-16 byte order mark (what Windows calls "Unicode") is read as UTF-16.
   */
  private static Text decode(byte[] bytes) {
    try {
      return new Text(strictText(bytes), true);
    } catch (CharacterCodingException e) {
      String text = new String(bytes, StandardCharsets.UTF_8);
      return new Text(text.startsWith("\uFEFF") ? text.substring(1) : text, false);
    }
  }

  /**
   * {@code bytes} as text, as training reads a file of a folder: UTF-16 when they start with its
   * byte order mark, else UTF-8 past a byte order mark; throws where they are neither.
   */
  static String strictText(byte[] bytes) throws CharacterCodingException {
    return utf16(bytes) ? new String(bytes, StandardCharsets.UTF_16) : StrictUtf8.decode(bytes);
  }

  private static boolean utf16(byte[] bytes) {
    return starts(bytes, 0xFF, 0xFE) || starts(bytes, 0xFE, 0xFF);
  }

  private static boolean starts(byte[] bytes, String ascii) {
    return starts(bytes, ascii.chars().toArray());
  }

  private static boolean starts(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
