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
 * lost, duplicated or late. Bursts of overload shape the load ({@link
 * io.expertflow.cli.chaos.LoadShape}) and are judged per priority lane ({@link
 * io.expertflow.cli.chaos.LaneLatencies}) and by the workers' memory ({@link
 * io.expertflow.cli.chaos.MemorySampler}); a network cut blackholes a worker's own links to Kafka
 * ({@link io.expertflow.cli.chaos.WorkerLinks}, {@link io.expertflow.cli.chaos.BrokerLink}).
 */
package io.expertflow.cli.chaos;
