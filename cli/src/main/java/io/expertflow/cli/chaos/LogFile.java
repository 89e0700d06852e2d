package io.expertflow.cli.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Reading a child process's log file as it grows: from a byte offset on, and waiting for a line.
 */
final class LogFile {
  private LogFile() {}

  /** The length of {@code file} so far, 0 if it does not exist yet. */
  static long length(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until {@code file}, from byte {@code from}, holds {@code line}, polling every 200 ms. */
  static void awaitLine(Path file, long from, String line, Duration timeout)
      throws InterruptedException {
    long until = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < until) {
      if (textSince(file, from).contains(line)) {
        return;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        file.getFileName() + " never said '" + line + "' within " + timeout.toSeconds() + " s");
  }

  /** What {@code file} holds from byte {@code from} on, read from there; empty if unreadable. */
  static String textSince(Path file, long from) {
    try (SeekableByteChannel in = Files.newByteChannel(file)) {
      long size = in.size();
      if (from >= size) {
        return "";
      }
      ByteBuffer bytes = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, size - from));
      in.position(from);
      while (bytes.hasRemaining() && in.read(bytes) > 0) {
        // read to the end as it was when opened
      }
      return new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return ""; // not written yet
    }
  }
}
