/**
 * {@code expertflow chaos}, a load run with faults injected on a schedule: the {@link
 * io.expertflow.cli.chaos.ChaosCommand} runs the workers and the streams app as child processes
 * ({@link io.expertflow.cli.chaos.PipelineProcesses}), sends an {@link
 * io.expertflow.cli.chaos.OpenLoopLoad}, applies the {@link io.expertflow.cli.chaos.FaultSchedule}
 * through the {@link io.expertflow.cli.chaos.FaultInjector}, watches the outcomes per second
 * ({@link io.expertflow.cli.chaos.OutcomeWatch}, {@link
 * io.expertflow.cli.chaos.ThroughputTimeline}) and at the end fills the {@link
 * io.expertflow.cli.chaos.OutcomeLedger} through the {@link io.expertflow.cli.chaos.LedgerFeed},
 * which reconciles every submitted request with what the pipeline's topics hold and counts what was
 * lost, duplicated or late.
 */
package io.expertflow.cli.chaos;
