/**
 * Bulk jobs ({@code expertflow job}): job and request ids derived from the job and the documents,
 * the set of a job's requests already on the intake topic and the job API's client. The export of a
 * job's outcomes lives with the streams app ({@code io.expertflow.streams.jobs.export}), which also
 * serves it over HTTP.
 */
package io.expertflow.cli.jobs;
