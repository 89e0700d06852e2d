package io.expertflow.cli.demo;

import java.util.Map;

/**
 * Everything a demo run measured, for the summary and the report.
 *
 * @param summary the headline figures
 * @param bulk the bulk phase
 * @param week the feedback week, or null
 * @param update the updater's verdict, or null
 * @param after the documents sent again after the update, or null
 * @param timeline latencies, batch sizes and phases over time
 * @param expertLoad documents routed to each base expert, over the run
 */
public record DemoOutcome(
    DemoSummary summary,
    PhaseResult bulk,
    WeekResult week,
    UpdateOutcome update,
    PhaseResult after,
    RunTimeline timeline,
    Map<Integer, Long> expertLoad) {
  public DemoOutcome {
    expertLoad = Map.copyOf(expertLoad);
  }
}
