/**
 * The job topology: per bulk job ({@code expertflow job submit}), how many of its requests were
 * submitted, answered (and how: status, compliance decision, label), dead-lettered (and why), and
 * when it started and last got an answer; a queryable store behind {@code GET /v1/jobs}.
 */
package io.expertflow.streams.jobs;
