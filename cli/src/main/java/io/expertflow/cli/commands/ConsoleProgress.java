package io.expertflow.cli.commands;

import io.expertflow.model.training.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints training progress as plain lines (one per stage, every tenth of a long stage, and the
 * pipeline's notes), fit for a terminal and for CI logs alike. Single-threaded use.
 */
final class ConsoleProgress implements ProgressListener {
  private final PrintWriter out;
  private final long started = System.nanoTime();
  private long lastTenth = -1;

  ConsoleProgress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public void stage(String name) {
    lastTenth = -1;
    line("== " + name);
  }

  @Override
  public void progress(String stage, long done, long total) {
    long tenth = total == 0 ? 10 : done * 10 / total;
    if (tenth != lastTenth && !stage.equals("training")) {
      lastTenth = tenth;
      line(String.format(Locale.ROOT, "%s: %d/%d (%d%%)", stage, done, total, tenth * 10));
    }
  }

  @Override
  public void info(String message) {
    line(message);
  }

  private void line(String text) {
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", (System.nanoTime() - started) / 1e9, text);
    out.flush();
  }
}
