/**
 * The pieces of {@code expertflow chaos}, a load run with faults injected on a schedule: so far the
 * {@link io.expertflow.cli.chaos.OutcomeLedger}, which reconciles every submitted request with what
 * the pipeline's topics hold and counts what was lost, duplicated or late, and the {@link
 * io.expertflow.cli.chaos.LedgerFeed} that reads those topics into it.
 */
package io.expertflow.cli.chaos;
