/**
 * Reading what the pipeline answered: {@link io.expertflow.schemas.outcomes.OutcomeReader} follows
 * {@code responses} and {@code dead-letters} as a {@code read_committed} client and reconciles
 * request ids with their outcomes (answered, duplicated, missing), for the demo, the benchmarks and
 * the delivery tests alike.
 */
package io.expertflow.schemas.outcomes;
