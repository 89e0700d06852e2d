package io.expertflow.model.corpus;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Streams the regular files of a {@code .tar.gz} archive (POSIX ustar, with pax and GNU long names)
 * to a visitor, in archive order. Directories, links and other entry types are skipped. Stateless.
 */
public final class TarGzReader {
  /** Largest single entry read into memory; corpora hold small text files. */
  public static final long MAX_ENTRY_BYTES = 256L << 20;

  private static final int BLOCK = 512;

  /** Receives one regular file of the archive. */
  @FunctionalInterface
  public interface EntryVisitor {
    void visit(String name, byte[] content) throws IOException;
  }

  private TarGzReader() {}

  public static void read(Path archive, EntryVisitor visitor) throws IOException {
    try (InputStream in =
        new BufferedInputStream(
            new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive)), 1 << 16))) {
      read(in, visitor);
    }
  }

  /** Reads an uncompressed tar stream. */
  static void read(InputStream in, EntryVisitor visitor) throws IOException {
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      if (!readBlock(in, header)) {
        return; // clean end without the two zero blocks
      }
      if (isZero(header)) {
        return;
      }
      verifyChecksum(header);
      long size = octal(header, 124, 12);
      if (size < 0 || size > MAX_ENTRY_BYTES) {
        throw new IOException(
            "tar entry of " + size + " bytes is outside [0, " + MAX_ENTRY_BYTES + "]");
      }
      byte type = header[156];
      byte[] data = readData(in, (int) size);
      switch (type) {
        case 'x' -> longName = paxPath(data, longName);
        case 'L' -> longName = cString(data, 0, data.length);
        case 'g' -> {
          // global pax header: nothing the corpora need
        }
        case '0', 0, '7' -> {
          String name = longName != null ? longName : ustarName(header);
          longName = null;
          visitor.visit(name, data);
        }
        default -> longName = null;
      }
    }
  }

  private static String ustarName(byte[] header) {
    String name = cString(header, 0, 100);
    String magic = cString(header, 257, 6);
    if (magic.startsWith("ustar")) {
      String prefix = cString(header, 345, 155);
      if (!prefix.isEmpty()) {
        return prefix + "/" + name;
      }
    }
    return name;
  }

  private static String paxPath(byte[] data, String fallback) {
    String text = new String(data, StandardCharsets.UTF_8);
    int i = 0;
    while (i < text.length()) {
      int space = text.indexOf(' ', i);
      if (space < 0) {
        break;
      }
      int length = Integer.parseInt(text.substring(i, space));
      String record = text.substring(space + 1, Math.min(text.length(), i + length - 1));
      if (record.startsWith("path=")) {
        return record.substring(5);
      }
      i += length;
    }
    return fallback;
  }

  private static byte[] readData(InputStream in, int size) throws IOException {
    byte[] data = in.readNBytes(size);
    if (data.length != size) {
      throw new EOFException("tar archive ends inside an entry of " + size + " bytes");
    }
    int padding = (BLOCK - size % BLOCK) % BLOCK;
    in.skipNBytes(padding);
    return data;
  }

  private static boolean readBlock(InputStream in, byte[] block) throws IOException {
    int n = in.readNBytes(block, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n != BLOCK) {
      throw new EOFException("tar archive ends inside a header block");
    }
    return true;
  }

  private static void verifyChecksum(byte[] header) throws IOException {
    long expected = octal(header, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (header[i] & 0xff);
    }
    if (sum != expected) {
      throw new IOException(
          "corrupt tar header: checksum " + expected + " does not match computed " + sum);
    }
  }

  private static boolean isZero(byte[] block) {
    for (byte b : block) {
      if (b != 0) {
        return false;
      }
    }
    return true;
  }

  private static long octal(byte[] header, int offset, int length) throws IOException {
    long value = 0;
    int end = offset + length;
    int i = offset;
    while (i < end && (header[i] == ' ' || header[i] == 0)) {
      i++;
    }
    for (; i < end && header[i] != 0 && header[i] != ' '; i++) {
      int digit = header[i] - '0';
      if (digit < 0 || digit > 7) {
        throw new IOException("corrupt tar header: bad octal digit at offset " + i);
      }
      value = value * 8 + digit;
    }
    return value;
  }

  private static String cString(byte[] bytes, int offset, int length) {
    int end = offset;
    while (end < offset + length && bytes[end] != 0) {
      end++;
    }
    return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
  }
}
