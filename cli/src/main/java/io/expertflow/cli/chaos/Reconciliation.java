package io.expertflow.cli.chaos;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What an {@link OutcomeLedger} found: counts, and up to a few request ids per finding so a person
 * can look them up. Exactly-once delivery holds when {@link #lost()} and {@link #duplicated()} are
 * both 0.
 *
 * @param submitted request ids submitted (each counted once)
 * @param answeredOnce submitted ids with exactly one outcome, a response or a dead letter
 * @param lost submitted ids with no outcome at all
 * @param duplicated submitted ids with more than one outcome (two responses, or a response and a
 *     dead letter, ...)
 * @param surplusOutcomes outcomes beyond the first of the duplicated ids
 * @param late submitted ids answered (other than EXPIRED) after their deadline
 * @param responses responses of submitted ids, duplicates included
 * @param deadLettered submitted ids with at least one dead letter
 * @param expired responses that said EXPIRED
 * @param failed responses that said FAILED
 * @param responsesWithoutAudit answered ids without an audit record
 * @param surplusAudits ids with more audit records than responses
 * @param unknown outcomes or audit records of ids never submitted (another run's, or forged)
 * @param deadLettersWithoutRequestId dead letters that name no request (undecodable input); one of
 *     them may be a lost request's
 * @param resubmissions submissions of an id already submitted
 * @param deadLetterReasons dead letters of submitted ids by reason ({@code DELIVERY_LIMIT}, ...),
 *     duplicates included, in the order of the reasons' names
 * @param examples up to a few ids of each finding, in id order
 */
public record Reconciliation(
    int submitted,
    int answeredOnce,
    int lost,
    int duplicated,
    int surplusOutcomes,
    int late,
    int responses,
    int deadLettered,
    int expired,
    int failed,
    int responsesWithoutAudit,
    int surplusAudits,
    int unknown,
    int deadLettersWithoutRequestId,
    int resubmissions,
    Map<String, Integer> deadLetterReasons,
    Examples examples) {

  /** Ids of each finding, at most the ledger's example count each. */
  public record Examples(
      List<String> lost,
      List<String> duplicated,
      List<String> late,
      List<String> responsesWithoutAudit,
      List<String> surplusAudits,
      List<String> unknown) {}

  /** Whether every submitted request ended as exactly one outcome. */
  public boolean exactlyOnce() {
    return lost == 0 && duplicated == 0;
  }

  /** A few lines for a person: the counts, then the ids of anything wrong. */
  public String summary() {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "submitted %d: exactly one outcome %d, lost %d, duplicated %d (%d surplus outcomes),"
                + " late %d%n",
            submitted,
            answeredOnce,
            lost,
            duplicated,
            surplusOutcomes,
            late));
    out.append(
        String.format(
            Locale.ROOT,
            "responses %d (expired %d, failed %d), dead-lettered %d%s, dead letters without a"
                + " request id %d; audit: missing %d, surplus %d; unknown ids %d, resubmissions %d%n",
            responses,
            expired,
            failed,
            deadLettered,
            deadLetterReasons.isEmpty()
                ? ""
                : deadLetterReasons.entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .map(e -> e.getKey() + " " + e.getValue())
                    .collect(Collectors.joining(", ", " (", ")")),
            deadLettersWithoutRequestId,
            responsesWithoutAudit,
            surplusAudits,
            unknown,
            resubmissions));
    name(out, "lost", examples.lost());
    name(out, "duplicated", examples.duplicated());
    name(out, "late", examples.late());
    name(out, "without audit", examples.responsesWithoutAudit());
    name(out, "surplus audit", examples.surplusAudits());
    name(out, "unknown", examples.unknown());
    return out.toString();
  }

  private static void name(StringBuilder out, String finding, List<String> ids) {
    if (!ids.isEmpty()) {
      out.append("  ").append(finding).append(": ").append(String.join(", ", ids)).append('\n');
    }
  }

  /** Collects a reconciliation; the ledger's alone. */
  static final class Builder {
    private final int examples;
    int submitted;
    int answeredOnce;
    int surplusOutcomes;
    int responses;
    int deadLettered;
    int expired;
    int failed;
    int deadLettersWithoutRequestId;
    int resubmissions;
    final Map<String, Integer> deadLetterReasons = new TreeMap<>();
    final Finding lost = new Finding();
    final Finding duplicated = new Finding();
    final Finding late = new Finding();
    final Finding responsesWithoutAudit = new Finding();
    final Finding surplusAudits = new Finding();
    final Finding unknown = new Finding();

    Builder(int examples) {
      if (examples < 0) {
        throw new IllegalArgumentException("examples must be 0 or more, got " + examples);
      }
      this.examples = examples;
    }

    /** Counts every id, keeps the first few. */
    final class Finding {
      int count;
      final List<String> ids = new ArrayList<>();

      void add(String id) {
        count++;
        if (ids.size() < examples) {
          ids.add(id);
        }
      }
    }

    Reconciliation build() {
      return new Reconciliation(
          submitted,
          answeredOnce,
          lost.count,
          duplicated.count,
          surplusOutcomes,
          late.count,
          responses,
          deadLettered,
          expired,
          failed,
          responsesWithoutAudit.count,
          surplusAudits.count,
          unknown.count,
          deadLettersWithoutRequestId,
          resubmissions,
          Collections.unmodifiableMap(new TreeMap<>(deadLetterReasons)),
          new Examples(
              List.copyOf(lost.ids),
              List.copyOf(duplicated.ids),
              List.copyOf(late.ids),
              List.copyOf(responsesWithoutAudit.ids),
              List.copyOf(surplusAudits.ids),
              List.copyOf(unknown.ids)));
    }
  }
}
