package io.expertflow.cli.demo;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.update.ShiftScenario;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The demo's phases on a running {@link DemoStack}, each a method, so that a command or a test can
 * run any sequence of them:
 *
 * <ol>
 *   <li>{@link #evaluate}: send documents through the streams app's intake to the worker and wait
 *       for every answer (bulk before the update, and again after it);
 *   <li>{@link #feedbackWeek}: the week's new kind of documents, then users' feedback with the true
 *       labels inside one weekly window, then a later event that closes the window;
 *   <li>{@link #awaitUpdate}: the updater's verdict, and the worker serving the new version.
 * </ol>
 *
 * Used by one thread. Each wait gives up after the run's timeout, and stops at once if a component
 * of the stack failed.
 */
public final class DemoRun {
  private static final long TICK_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private final DemoStack stack;
  private final PrintWriter out;
  private final Duration timeout;
  private final TrafficSender sender;
  private final RunTimeline timeline;
  private final LiveProgress progress;
  private final Map<String, List<Integer>> expertsByRequest = new LinkedHashMap<>();

  public DemoRun(DemoStack stack, PrintWriter out, Duration timeout) {
    this.stack = stack;
    this.out = out;
    this.timeout = timeout;
    this.sender = new TrafficSender(stack.kafka(), stack.registry(), stack.config().topicPrefix());
    this.timeline = new RunTimeline(System.nanoTime());
    this.progress = new LiveProgress(out, stack.worker().meters(), timeline, stack.maxBatchSize());
  }

  public RunTimeline timeline() {
    return timeline;
  }

  /** Sends {@code documents} as requests and waits until each is answered (or the timeout). */
  public PhaseResult evaluate(String phase, List<DemoDocument> documents, String newLabel) {
    long start = System.nanoTime();
    List<InferenceRequest> requests = new ArrayList<>();
    Map<String, String> truth = new HashMap<>();
    for (int i = 0; i < documents.size(); i++) {
      DemoDocument d = documents.get(i);
      String id = stack.config().runId() + "-" + phase + "-" + i;
      requests.add(TrafficSender.request(id, d));
      truth.put(id, d.label());
    }
    sender.requests(requests);
    List<String> ids = requests.stream().map(InferenceRequest::getRequestId).toList();
    awaitAnswers(phase, ids, truth, newLabel, start);
    PhaseResult result = PhaseResult.of(phase, ids, truth, newLabel, stack.collector(), start);
    for (String id : ids) {
      Answer a = stack.collector().answer(id);
      if (a != null) {
        timeline.latency(a.arrivedNanos(), a.latencyMs(), phase);
        if (!a.deadLetter()) {
          expertsByRequest.put(id, a.experts());
        }
      }
    }
    timeline.phase(phase, start, System.nanoTime());
    return result;
  }

  private void awaitAnswers(
      String phase, List<String> ids, Map<String, String> truth, String newLabel, long start) {
    long deadline = start + timeout.toNanos();
    long nextTick = 0;
    int done = 0;
    progress.begin();
    while (done < ids.size() && System.nanoTime() < deadline) {
      stack.checkHealthy();
      done = stack.collector().answered(ids);
      if (System.nanoTime() >= nextTick) {
        nextTick = System.nanoTime() + TICK_NANOS;
        long p99 = PhaseResult.of(phase, ids, truth, newLabel, stack.collector(), start).p99Ms();
        progress.tick(phase, done, ids.size(), start, p99, false);
      }
      pause();
    }
    long p99 = PhaseResult.of(phase, ids, truth, newLabel, stack.collector(), start).p99Ms();
    progress.tick(phase, done, ids.size(), start, p99, true);
    progress.end();
  }

  /**
   * The simulated week: {@code documents} (the new kind) are sent and answered; users then correct
   * every answer with the document's true label, at event times spread over one weekly window; the
   * feedback on the {@code i}-th document is named as the offline shift run names it ({@link
   * ShiftScenario#FEEDBACK_ID_PREFIX} + i), so the updater holds out the same half to judge the
   * update as training's offline update did; once the streams app has attributed all of it,
   * feedback one minute past the window's end plus grace reaches every partition of the statistics,
   * and the window closes.
   */
  public WeekResult feedbackWeek(List<DemoDocument> documents, String newLabel, FeedbackWeek week) {
    PhaseResult traffic = evaluate("week", documents, newLabel);
    long start = System.nanoTime();
    String run = stack.config().runId();
    List<FeedbackEvent> events = new ArrayList<>();
    int corrections = 0;
    int experts = 0;
    for (int i = 0; i < documents.size(); i++) {
      String requestId = run + "-week-" + i;
      Answer a = stack.collector().answer(requestId);
      String truth = documents.get(i).label();
      if (a == null || a.deadLetter() || !"OK".equals(a.status()) || truth == null) {
        continue;
      }
      boolean right = truth.equals(a.topLabel());
      corrections += right ? 0 : 1;
      experts += a.experts().size();
      events.add(
          FeedbackEvent.newBuilder()
              .setFeedbackId(ShiftScenario.FEEDBACK_ID_PREFIX + i)
              .setRequestId(requestId)
              .setRating(right ? 1 : -1)
              .setCorrectedLabel(truth)
              .setSource("demo-user")
              .setEventTime(week.eventTime(events.size(), documents.size()))
              .build());
    }
    out.printf(
        "feedback: %d events (%d corrections to '%s') in the week of %s%n",
        events.size(), corrections, newLabel, week.start());
    sender.feedback(events);
    AttributedFeedbackCounter counter =
        new AttributedFeedbackCounter(
            stack.kafka(),
            stack.registry(),
            stack.config().topicPrefix(),
            ShiftScenario.FEEDBACK_ID_PREFIX);
    counter.await(experts, timeout, stack::checkHealthy);
    List<String> closers = PartitionCover.choose(expertsByRequest, stack.attributedPartitions());
    List<FeedbackEvent> closing = new ArrayList<>();
    for (String requestId : closers) {
      closing.add(
          FeedbackEvent.newBuilder()
              .setFeedbackId(run + "-closing-" + closing.size())
              .setRequestId(requestId)
              .setRating(0)
              .setSource("demo-clock")
              .setEventTime(week.closingTime())
              .build());
    }
    sender.feedback(closing);
    out.printf(
        "window %s .. %s closed by %d later events (one per statistics partition)%n",
        week.start(), week.end(), closing.size());
    timeline.phase("feedback", start, System.nanoTime());
    return new WeekResult(traffic, events.size(), corrections, closing.size(), week);
  }

  /**
   * Waits for the updater's verdict on the window and, when it published, for the worker to serve
   * the new version. Returns the verdict, or throws when none came within the timeout.
   */
  public UpdateOutcome awaitUpdate() throws InterruptedException {
    long start = System.nanoTime();
    out.println("update: waiting for the window's statistics and the updater's verdict...");
    out.flush();
    ModelVersion record = null;
    long deadline = start + timeout.toNanos();
    while (record == null && System.nanoTime() < deadline) {
      stack.checkHealthy();
      record = stack.updates().poll(200, TimeUnit.MILLISECONDS);
    }
    if (record == null) {
      throw new IllegalStateException(
          "the updater gave no verdict within "
              + timeout
              + "; is the window closed on every partition? (see the run folder's logs)");
    }
    double updated = (System.nanoTime() - start) / 1e9;
    boolean published = record.getState() == ModelVersionState.PUBLISHED;
    out.printf(
        "update: version %s %s (%s)%n", record.getVersion(), record.getState(), record.getReason());
    if (published) {
      while (!stack.worker().models().current().version().equals(record.getVersion())) {
        stack.checkHealthy();
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "the worker did not load version " + record.getVersion() + " within " + timeout);
        }
        pause();
      }
      out.printf(
          "worker now serves %s (hot-loaded, no restart)%n",
          stack.worker().models().current().version());
    }
    timeline.phase("update", start, System.nanoTime());
    return new UpdateOutcome(record, updated, (System.nanoTime() - start) / 1e9);
  }

  private static void pause() {
    try {
      Thread.sleep(50);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
