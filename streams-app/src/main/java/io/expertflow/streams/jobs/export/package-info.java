/**
 * The export of a job's outcomes in submission order, one line per document (JSON Lines or CSV),
 * read from the topics with bounded memory: what {@code expertflow job export} writes and what the
 * HTTP API's {@code GET /v1/jobs/{id}/export} streams.
 */
package io.expertflow.streams.jobs.export;
