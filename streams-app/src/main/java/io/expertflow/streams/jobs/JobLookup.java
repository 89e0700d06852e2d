package io.expertflow.streams.jobs;

import java.util.List;

/**
 * Finds job figures across the instances of the job application. Implementations are thread-safe;
 * the HTTP server calls them from its worker threads.
 */
public interface JobLookup {

  /** Where the figures of {@code jobId} are, or that the job is unknown. */
  Result find(String jobId);

  /** The jobs whose figures this instance holds, or why it cannot say now. */
  Local local();

  /** Base URLs ({@code http://host:port}) of the other instances that hold job figures. */
  List<String> others();

  /** The outcome of a lookup of one job. */
  sealed interface Result permits Found, Missing, Elsewhere, Unavailable {}

  /** The job's figures, from a local store. */
  record Found(JobCounts job) implements Result {}

  /** No instance knows the job. */
  record Missing() implements Result {}

  /** Another instance owns the job; ask it at {@code host:port}. */
  record Elsewhere(String host, int port) implements Result {}

  /** The store cannot answer now (rebalance, restoring); try again shortly. */
  record Unavailable(String reason) implements Result, Local {}

  /** What an instance holds locally. */
  sealed interface Local permits Listed, Unavailable {}

  /** Every job of the local store. */
  record Listed(List<JobCounts> jobs) implements Local {}
}
