package io.expertflow.cli.demo;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.HdrHistogram.Histogram;

/**
 * The figures of one phase's documents: exactly-once accounting, accuracy (all documents, and those
 * of the new label), latency and throughput, and which model versions answered.
 *
 * @param phase the phase's name
 * @param submitted requests sent
 * @param responses requests answered by a response
 * @param deadLetters requests answered by a dead letter
 * @param lost requests without an answer when the phase ended
 * @param labelled answered documents with a known label
 * @param correct of those, answered with their label
 * @param newLabelled answered documents of the new label
 * @param newCorrect of those, answered with it
 * @param p50Ms median latency (submission to response)
 * @param p99Ms 99th percentile latency
 * @param seconds from the first send to the last answer
 * @param versions responses per model version
 */
public record PhaseResult(
    String phase,
    int submitted,
    int responses,
    int deadLetters,
    int lost,
    int labelled,
    int correct,
    int newLabelled,
    int newCorrect,
    long p50Ms,
    long p99Ms,
    double seconds,
    Map<String, Integer> versions) {
  public PhaseResult {
    versions = Map.copyOf(versions);
  }

  /**
   * Tallies a phase.
   *
   * @param requestIds the requests the phase sent
   * @param truth the true label of each request (absent or null: unknown)
   * @param newLabel the label held out of training, or null
   */
  public static PhaseResult of(
      String phase,
      List<String> requestIds,
      Map<String, String> truth,
      String newLabel,
      ResponseCollector answers,
      long startNanos) {
    int responses = 0;
    int deadLetters = 0;
    int labelled = 0;
    int correct = 0;
    int newLabelled = 0;
    int newCorrect = 0;
    long last = startNanos;
    Histogram latency = new Histogram(3_600_000L, 3);
    Map<String, Integer> versions = new TreeMap<>();
    for (String id : requestIds) {
      Answer a = answers.answer(id);
      if (a == null) {
        continue;
      }
      last = Math.max(last, a.arrivedNanos());
      if (a.deadLetter()) {
        deadLetters++;
        continue;
      }
      responses++;
      latency.recordValue(Math.min(a.latencyMs(), latency.getHighestTrackableValue()));
      versions.merge(a.modelVersion(), 1, Integer::sum);
      String label = truth.get(id);
      if (label != null && "OK".equals(a.status())) {
        labelled++;
        correct += a.correct(label) ? 1 : 0;
        if (label.equals(newLabel)) {
          newLabelled++;
          newCorrect += a.correct(label) ? 1 : 0;
        }
      }
    }
    return new PhaseResult(
        phase,
        requestIds.size(),
        responses,
        deadLetters,
        requestIds.size() - responses - deadLetters,
        labelled,
        correct,
        newLabelled,
        newCorrect,
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(50),
        latency.getTotalCount() == 0 ? 0 : latency.getValueAtPercentile(99),
        (last - startNanos) / 1e9,
        versions);
  }

  /** Accuracy over labelled answers, or null without any. */
  public Double accuracy() {
    return labelled == 0 ? null : (double) correct / labelled;
  }

  /** Accuracy over the new label's answers, or null without any. */
  public Double newLabelAccuracy() {
    return newLabelled == 0 ? null : (double) newCorrect / newLabelled;
  }

  /** Answered documents per second of the phase. */
  public double docsPerS() {
    return seconds <= 0 ? 0 : (responses + deadLetters) / seconds;
  }
}
