package io.expertflow.cli.commands;

import io.expertflow.model.training.ProgressListener;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of long work (fetching, embedding, training) as time-stamped lines: a line per stage and
 * one per tenth of a stage's items, and one at least every {@value #HEARTBEAT_SECONDS} seconds in
 * between, with the rate so far and the time left at that rate. One thread.
 */
final class ConsoleProgress implements ProgressListener {
  private final PrintWriter out;
  private final LongSupplier nanoTime;
  private final long started;
  private long stageStarted;
  private long lastTenth = -1;
  private long lastLine;

  /** Longest silence within a stage whose items keep coming. */
  static final int HEARTBEAT_SECONDS = 30;

  ConsoleProgress(PrintWriter out) {
    this(out, System::nanoTime);
  }

  ConsoleProgress(PrintWriter out, LongSupplier nanoTime) {
    this.out = out;
    this.nanoTime = nanoTime;
    this.started = nanoTime.getAsLong();
    this.stageStarted = started;
  }

  @Override
  public void stage(String name) {
    lastTenth = -1;
    stageStarted = nanoTime.getAsLong();
    lastLine = stageStarted;
    line("== " + name);
  }

  @Override
  public void progress(String stage, long done, long total) {
    long tenth = total == 0 ? 10 : done * 10 / total;
    long now = nanoTime.getAsLong();
    boolean quietTooLong = now - lastLine >= HEARTBEAT_SECONDS * 1_000_000_000L;
    if ((tenth != lastTenth || quietTooLong) && !stage.equals("training")) {
      lastTenth = tenth;
      lastLine = now;
      double seconds = (now - stageStarted) / 1e9;
      String pace = "";
      if (seconds > 0.5 && done > 0) {
        double rate = done / seconds;
        pace =
            String.format(Locale.ROOT, ", %.1f/s", rate)
                + (done < total ? ", about " + duration((total - done) / rate) + " left" : "");
      }
      long percent = total == 0 ? 100 : done * 100 / total;
      line(String.format(Locale.ROOT, "%s: %d/%d (%d%%)%s", stage, done, total, percent, pace));
    }
  }

  @Override
  public void info(String message) {
    line(message);
  }

  private void line(String text) {
    out.printf(Locale.ROOT, "[%6.1fs] %s%n", (nanoTime.getAsLong() - started) / 1e9, text);
    out.flush();
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }
}
