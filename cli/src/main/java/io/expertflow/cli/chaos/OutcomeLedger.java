package io.expertflow.cli.chaos;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ResponseStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The books of a run: every request id submitted, and every outcome read back from the pipeline's
 * topics (with {@code read_committed}), reconciled against the guarantees. Each accepted request
 * must end as exactly one outcome, a response or a dead letter; each response must have exactly one
 * audit record; a response must not come after the request's deadline unless it says EXPIRED.
 *
 * <p>Feed it in any order: outcomes may be recorded before the submission they answer (the topics
 * are read after the run, or while it runs). Not thread-safe: one thread records, then calls {@link
 * #reconcile()}.
 */
public final class OutcomeLedger {

  /** How many request ids a {@link Reconciliation} names per finding, to keep reports short. */
  public static final int DEFAULT_EXAMPLES = 10;

  private final Map<String, Entry> entries = new HashMap<>();
  private int deadLettersWithoutRequestId;
  private final Map<String, Integer> deadLetterReasons = new TreeMap<>();
  private int resubmissions;

  /** What the ledger knows about one request id. */
  private static final class Entry {
    boolean submitted;
    long deadlineMs = Long.MAX_VALUE;
    int responses;
    int deadLetters;
    int audits;
    long lastAnswerMs = Long.MIN_VALUE;
    int expired;
    int failed;
  }

  /**
   * A request the run submitted (and the broker acknowledged).
   *
   * @param deadlineMs epoch milliseconds after which an answer other than EXPIRED is late, or null
   *     for none; a request submitted again keeps its first deadline
   */
  public void submitted(String requestId, Long deadlineMs) {
    Entry entry = entry(requestId);
    if (entry.submitted) {
      resubmissions++;
      return;
    }
    entry.submitted = true;
    if (deadlineMs != null) {
      entry.deadlineMs = deadlineMs;
    }
  }

  /** Enters every request the broker acknowledged, each with its deadline; their ids in order. */
  public List<String> submittedAll(Collection<OpenLoopLoad.Submitted> acknowledged) {
    List<String> ids = new ArrayList<>();
    for (OpenLoopLoad.Submitted s : acknowledged) {
      ids.add(s.requestId());
      submitted(s.requestId(), s.deadlineMs());
    }
    return ids;
  }

  /** A response read from the responses topic, produced at {@code producedAtMs}. */
  public void response(String requestId, ResponseStatus status, long producedAtMs) {
    Entry entry = entry(requestId);
    entry.responses++;
    switch (Objects.requireNonNull(status, "status")) {
      case EXPIRED -> entry.expired++;
      case FAILED -> entry.failed++;
      case OK -> {
        // counted as a response
      }
    }
    if (status != ResponseStatus.EXPIRED) {
      // judged at reconcile time: the submission with its deadline may not be recorded yet
      entry.lastAnswerMs = Math.max(entry.lastAnswerMs, producedAtMs);
    }
  }

  /** As {@link #response(String, ResponseStatus, long)}, from the record itself. */
  public void response(InferenceResponse response) {
    response(
        response.getRequestId(), response.getStatus(), response.getProducedAt().toEpochMilli());
  }

  /** A dead letter; one without a request id cannot be matched and is only counted. */
  public void deadLetter(String requestId) {
    if (requestId == null) {
      deadLettersWithoutRequestId++;
    } else {
      entry(requestId).deadLetters++;
    }
  }

  /** As {@link #deadLetter(String)}, from the record itself, counting its reason. */
  public void deadLetter(DeadLetter letter) {
    deadLetter(letter.getRequestId());
    if (letter.getRequestId() != null) {
      deadLetterReasons.merge(String.valueOf(letter.getReason()), 1, Integer::sum);
    }
  }

  /** An audit record of the response to {@code requestId}. */
  public void audit(String requestId) {
    entry(requestId).audits++;
  }

  /** As {@link #audit(String)}, from the record itself. */
  public void audit(AuditRecord record) {
    audit(record.getRequestId());
  }

  /** Whether {@code requestId} was answered EXPIRED (at least once). */
  public boolean expired(String requestId) {
    Entry entry = entries.get(requestId);
    return entry != null && entry.expired > 0;
  }

  /** Whether {@code requestId} has a dead letter. */
  public boolean deadLettered(String requestId) {
    Entry entry = entries.get(requestId);
    return entry != null && entry.deadLetters > 0;
  }

  /** The counts as they stand, naming up to {@link #DEFAULT_EXAMPLES} ids per finding. */
  public Reconciliation reconcile() {
    return reconcile(DEFAULT_EXAMPLES);
  }

  /** The counts as they stand, naming up to {@code examples} ids per finding. */
  public Reconciliation reconcile(int examples) {
    Reconciliation.Builder result = new Reconciliation.Builder(examples);
    result.deadLettersWithoutRequestId = deadLettersWithoutRequestId;
    result.resubmissions = resubmissions;
    result.deadLetterReasons.putAll(deadLetterReasons);
    entries.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(e -> add(result, e.getKey(), e.getValue()));
    return result.build();
  }

  private static void add(Reconciliation.Builder result, String id, Entry entry) {
    int outcomes = entry.responses + entry.deadLetters;
    if (!entry.submitted) {
      if (outcomes > 0 || entry.audits > 0) {
        result.unknown.add(id);
      }
      return;
    }
    result.submitted++;
    if (outcomes == 0) {
      result.lost.add(id);
    } else if (outcomes == 1) {
      result.answeredOnce++;
    } else {
      result.duplicated.add(id);
      result.surplusOutcomes += outcomes - 1;
    }
    result.responses += entry.responses;
    result.deadLettered += entry.deadLetters > 0 ? 1 : 0;
    result.expired += entry.expired;
    result.failed += entry.failed;
    if (entry.lastAnswerMs > entry.deadlineMs) {
      result.late.add(id);
    }
    if (entry.responses > 0 && entry.audits == 0) {
      result.responsesWithoutAudit.add(id);
    } else if (entry.audits > entry.responses) {
      result.surplusAudits.add(id);
    }
  }

  private Entry entry(String requestId) {
    return entries.computeIfAbsent(
        Objects.requireNonNull(requestId, "requestId"), id -> new Entry());
  }
}
