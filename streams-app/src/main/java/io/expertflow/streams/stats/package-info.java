/**
 * Weekly expert statistics: {@code feedback.attributed} aggregated per expert in tumbling
 * event-time windows, suppressed until each window closes, so exactly one {@link
 * io.expertflow.avro.ExpertWindowStats} per expert and window reaches {@code expert-stats}. Built
 * by {@link io.expertflow.streams.stats.ExpertStatsTopology#build}.
 */
package io.expertflow.streams.stats;
