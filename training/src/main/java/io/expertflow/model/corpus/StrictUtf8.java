package io.expertflow.model.corpus;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** UTF-8 that refuses malformed input instead of replacing it. Stateless. */
final class StrictUtf8 {
  private StrictUtf8() {}

  static CharsetDecoder decoder() {
    return StandardCharsets.UTF_8
        .newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
  }

  /**
   * A buffered reader of {@code file} that throws on the first byte that is not UTF-8, past the
   * byte order mark a file may start with (spreadsheets write one into their UTF-8 CSV).
   */
  static BufferedReader reader(Path file) throws IOException {
    BufferedReader reader =
        new BufferedReader(new InputStreamReader(Files.newInputStream(file), decoder()));
    try {
      reader.mark(1);
      if (reader.read() != '\uFEFF') {
        reader.reset();
      }
      return reader;
    } catch (IOException e) {
      reader.close();
      throw e;
    }
  }

  /** {@code bytes} as text, or throws {@link CharacterCodingException}. */
  static String decode(byte[] bytes) throws CharacterCodingException {
    String text = decoder().decode(ByteBuffer.wrap(bytes)).toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  /** Receives a file's lines in order, numbered from 1. */
  @FunctionalInterface
  interface LineConsumer {
    void line(long number, String text);
  }

  /**
   * Streams {@code file} line by line ({@code \n} or {@code \r\n}), decoding each line strictly, so
   * that a byte that is not UTF-8 is reported on its own line.
   *
   * @throws BadLine naming the first line that is not UTF-8
   */
  static void forEachLine(Path file, LineConsumer consumer) throws IOException {
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
      ByteArrayOutputStream line = new ByteArrayOutputStream(256);
      long number = 0;
      int b;
      boolean any = false;
      while ((b = in.read()) != -1) {
        any = true;
        if (b == '\n') {
          number++;
          consumer.line(number, decodeLine(line, number));
          line.reset();
          any = false;
        } else {
          line.write(b);
        }
      }
      if (any) {
        number++;
        consumer.line(number, decodeLine(line, number));
      }
    }
  }

  private static String decodeLine(ByteArrayOutputStream bytes, long number) throws BadLine {
    try {
      String text = decode(bytes.toByteArray());
      return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
    } catch (CharacterCodingException e) {
      throw new BadLine(number);
    }
  }

  /** A line that is not UTF-8. */
  static final class BadLine extends CharacterCodingException {
    private final long line;

    BadLine(long line) {
      this.line = line;
    }

    long line() {
      return line;
    }
  }
}
