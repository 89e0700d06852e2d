/**
 * Bulk jobs ({@code expertflow job}): job and request ids derived from the job and the documents,
 * the set of a job's requests already on the intake topic, the job API's client, and the export of
 * a job's outcomes in submission order.
 */
package io.expertflow.cli.jobs;
