/**
 * The web console under {@code /console/}: server-rendered HTML pages (no script, nothing fetched
 * from elsewhere) for jobs (progress, throughput over time, labels, decisions, dead letters,
 * export), the review queue (approve, block or correct a label) and model versions. Until
 * authentication exists it answers only callers on the loopback interface ({@link ConsoleAccess}).
 */
package io.expertflow.streams.console;
