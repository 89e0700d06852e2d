package io.expertflow.operators.audit;

import java.util.List;

/**
 * What a verification found.
 *
 * @param records records checked
 * @param chains distinct chains among them
 * @param ok records with nothing wrong
 * @param problems each thing wrong, in the order found (removed sequences last)
 */
public record AuditReport(long records, int chains, long ok, List<AuditProblem> problems) {
  public AuditReport {
    problems = List.copyOf(problems);
  }

  /** Whether nothing is wrong. */
  public boolean clean() {
    return problems.isEmpty();
  }

  /** The summary line: records checked, chains, ok, problems. */
  public String summary() {
    return String.format(
        "%d record(s) checked in %d chain(s): %d ok, %d problem(s)",
        records, chains, ok, problems.size());
  }
}
