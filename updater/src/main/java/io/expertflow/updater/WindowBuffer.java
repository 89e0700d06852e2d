package io.expertflow.updater;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Holds attributed feedback and window statistics until a window is ready to update from. A closed
 * window's statistics arrive as a burst, one record per expert, possibly spread over partitions; a
 * window is ready when no statistics record of it has arrived for {@code settle} and, for every
 * expert, as many feedback records of the window have arrived as its statistics count (or {@code
 * maxWait} has passed since its first statistics record, for feedback that never comes).
 *
 * <p>Not thread-safe: the updater's loop owns it. Time is the caller's clock.
 */
final class WindowBuffer {
  private final Duration settle;
  private final Duration maxWait;
  private final List<AttributedFeedback> feedback = new ArrayList<>();
  private final TreeMap<Instant, Window> windows = new TreeMap<>();
  private Instant doneBefore = Instant.MIN;

  WindowBuffer(Duration settle, Duration maxWait) {
    this.settle = settle;
    this.maxWait = maxWait;
  }

  void addFeedback(AttributedFeedback record) {
    if (record.getEventTime().isBefore(doneBefore)) {
      return; // late feedback of a window that has been updated from already
    }
    feedback.add(record);
  }

  void addStats(ExpertWindowStats stats, Instant now) {
    Window w = windows.computeIfAbsent(stats.getWindowStart(), s -> new Window(now));
    w.byExpert.put(stats.getExpert(), stats);
    w.lastStatsAt = now;
  }

  /** The oldest window that is ready at {@code now}, if any. */
  Optional<Instant> ready(Instant now) {
    for (Map.Entry<Instant, Window> entry : windows.entrySet()) {
      Window w = entry.getValue();
      if (now.isBefore(w.lastStatsAt.plus(settle))) {
        continue;
      }
      if (complete(w) || !now.isBefore(w.firstStatsAt.plus(maxWait))) {
        return Optional.of(entry.getKey());
      }
    }
    return Optional.empty();
  }

  /** Removes a window: its statistics, and all feedback before its end. */
  ClosedWindow take(Instant start) {
    Window w = windows.remove(start);
    if (w == null) {
      throw new IllegalArgumentException("no statistics for the window starting " + start);
    }
    Instant end = w.byExpert.values().iterator().next().getWindowEnd();
    List<AttributedFeedback> inWindow = new ArrayList<>();
    List<AttributedFeedback> keep = new ArrayList<>();
    for (AttributedFeedback f : feedback) {
      Instant t = f.getEventTime();
      if (!t.isBefore(start) && t.isBefore(end)) {
        inWindow.add(f);
      } else if (!t.isBefore(end)) {
        keep.add(f);
      }
    }
    feedback.clear();
    feedback.addAll(keep);
    if (end.isAfter(doneBefore)) {
      doneBefore = end;
    }
    return new ClosedWindow(start, end, List.copyOf(w.byExpert.values()), inWindow);
  }

  int bufferedFeedback() {
    return feedback.size();
  }

  private boolean complete(Window w) {
    Instant start = w.byExpert.values().iterator().next().getWindowStart();
    Instant end = w.byExpert.values().iterator().next().getWindowEnd();
    Map<Integer, Long> seen = new HashMap<>();
    for (AttributedFeedback f : feedback) {
      Instant t = f.getEventTime();
      if (!t.isBefore(start) && t.isBefore(end)) {
        seen.merge(f.getExpert(), 1L, Long::sum);
      }
    }
    return w.byExpert.values().stream()
        .allMatch(s -> seen.getOrDefault(s.getExpert(), 0L) >= s.getCount());
  }

  /** A window ready to update from. */
  record ClosedWindow(
      Instant start,
      Instant end,
      List<ExpertWindowStats> stats,
      List<AttributedFeedback> feedback) {}

  private static final class Window {
    final Map<Integer, ExpertWindowStats> byExpert = new LinkedHashMap<>();
    final Instant firstStatsAt;
    Instant lastStatsAt;

    Window(Instant now) {
      this.firstStatsAt = now;
      this.lastStatsAt = now;
    }
  }
}
