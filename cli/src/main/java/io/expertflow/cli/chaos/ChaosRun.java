package io.expertflow.cli.chaos;

import io.expertflow.cli.commands.ConnectionOptions;
import io.expertflow.local.FreePorts;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.RegistryGate;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * One run of {@code expertflow chaos} with the options of its {@link ChaosCommand}, on a Kafka
 * cluster and a registry that are up: provisions the topics, starts the pipeline's processes, warms
 * up, sends the open-loop load while the faults are applied, drains, reads the ledger and prints
 * the report; the figures the tests check go back into the command's {@code last*} fields.
 */
final class ChaosRun {
  private final ChaosCommand options;

  ChaosRun(ChaosCommand options) {
    this.options = options;
  }

  int run(
      PrintWriter out,
      Path dir,
      String runId,
      String kafka,
      String registryUrl,
      Optional<LocalKafkaCluster> cluster,
      Map<FaultKind, Integer> counts,
      WorkerLinks links)
      throws Exception {
    Map<String, Object> client =
        options.commandConfig == null
            ? Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka)
            : Map.copyOf(
                ConnectionOptions.of(kafka, registryUrl, options.commandConfig).kafkaProperties());
    String prefix = runId + ".";
    int nodes;
    try (Admin admin = Admin.create(client)) {
      nodes = admin.describeCluster().nodes().get().size();
      new TopicProvisioner(admin)
          .provision(
              TopicCatalog.builder()
                  .prefix(prefix)
                  .replicationFactor(TopicCatalog.replicationFactorFor(nodes))
                  .build());
    }
    TopicNames topics = new TopicNames(prefix);
    Path bundleDir =
        ChaosBundle.resolve(
            options.bundle, dir, counts.getOrDefault(FaultKind.UPDATER_KILL, 0) > 0, out);
    out.printf(
        "Kafka %s (%d node(s)), registry %s, topics '%s*'%n", kafka, nodes, registryUrl, prefix);
    Duration length = Duration.ofMillis((long) (options.requests * 1000 / options.rate));
    FaultSchedule schedule = FaultSchedule.spread(counts, length);
    List<String> workerIds = options.workerIds();
    int statusPort = FreePorts.pick();
    ThroughputTimeline timeline = new ThroughputTimeline();
    OutcomeLedger ledger = new OutcomeLedger();
    try (RegistryGate gate = new RegistryGate(registryUrl);
        SchemaRegistryClient direct = registryClient(registryUrl);
        SchemaRegistryClient gated = registryClient(gate.url());
        PipelineProcesses processes =
            new PipelineProcesses(
                new PipelineProcesses.Settings(
                    dir.toAbsolutePath(),
                    bundleDir.toAbsolutePath(),
                    kafka,
                    gate.url(),
                    prefix,
                    runId,
                    options.deliveryMode,
                    statusPort,
                    options.streamsStaticMembership,
                    options.commandConfig == null ? null : options.commandConfig.toAbsolutePath(),
                    List.copyOf(options.workerSettings)));
        OutcomeWatch watch =
            new OutcomeWatch(
                client,
                List.of(topics.responses(), topics.deadLetters()),
                timeline,
                System.nanoTime())) {
      gate.open();
      if (links != null) {
        workerIds.forEach(w -> processes.route(w, links.bootstrapOf(w)));
        out.printf(
            "workers reach Kafka through links that a network-cut blackholes: %s%n",
            workerIds.stream().map(w -> w + " " + links.bootstrapOf(w)).toList());
      }
      Thread watcher = daemon("outcome-watch", watch);
      processes.startStreams();
      workerIds.forEach(processes::startWorker);
      out.printf(
          "streams app and %d %s worker(s) starting; warming up...%n",
          options.workers, options.deliveryMode);
      out.flush();
      warmUp(client, gated, topics, runId, watch, ledger, processes);
      Optional<UpdaterKillFault> updaterKill =
          counts.getOrDefault(FaultKind.UPDATER_KILL, 0) > 0
              ? Optional.of(
                  new UpdaterKillFault(client, direct, topics, bundleDir, processes, workerIds))
              : Optional.empty();
      long start = System.nanoTime();
      watch.startClock(start);
      OpenLoopLoad load =
          new OpenLoopLoad(
              client,
              gated,
              topics.requestsInbound(),
              runId,
              options.rate,
              options.requests,
              options.deadline,
              new OpenLoopLoad.Burst(
                  options.burst.burstFactor,
                  options.burst.burstHighShare,
                  options.burst.burstLowDeadline));
      FaultInjector injector =
          new FaultInjector(
              schedule,
              processes,
              workerIds,
              cluster,
              gate,
              new ModelUpdateFault(client, direct, topics, bundleDir),
              updaterKill,
              start,
              out);
      injector.bursts(
          load, Duration.ofSeconds(options.burst.burstSeconds), options.burst.burstFactor);
      if (links != null) {
        injector.cuts(links.byWorker(), options.cutDuration);
      }
      MemorySampler memory = new MemorySampler(workerIds, processes::target, start);
      Thread sampler = daemon("memory-sampler", memory);
      out.printf(
          "load: %,d requests at %.0f/s (about %d s), %d faults:%n",
          options.requests, options.rate, length.toSeconds(), schedule.faults().size());
      out.flush();
      Thread sender = daemon("open-loop-load", load);
      Thread faulter = daemon("fault-injector", injector);
      sender.join();
      int loadSeconds = (int) ((System.nanoTime() - start) / 1_000_000_000L);
      // a fault that outlasts the load (or was delayed by a long one) is still applied in full
      faulter.join();
      List<OpenLoopLoad.Submitted> sent = List.copyOf(load.acknowledged());
      List<String> ids = ledger.submittedAll(load.acknowledged());
      long drained = drain(watch, ids, out);
      memory.stop();
      watch.close();
      watcher.join(5_000);
      out.println("reading responses, dead letters and audit records (read_committed)...");
      out.flush();
      LedgerFeed.Read read =
          LedgerFeed.readInto(ledger, client, direct, topics, Duration.ofMinutes(5));
      Reconciliation result = ledger.reconcile();
      StatusSample.Result status = new StatusSample(statusPort).ask(ids, options.statusSample);
      out.println();
      out.printf(
          "sent %,d, acknowledged %,d, send failures %,d; load took %d s (offered %.1f/s)%n",
          load.sent(),
          ids.size(),
          load.failed(),
          loadSeconds,
          load.sent() / (double) Math.max(1, loadSeconds));
      out.printf(
          "read: %,d responses, %,d dead letters, %,d audit records, %,d undecodable; drained in %d s%n",
          read.responses(), read.deadLetters(), read.audits(), read.undecodable(), drained);
      out.print(result.summary());
      out.printf(
          "status API: %d of %d sampled ids ANSWERED or DEAD_LETTERED %s%n",
          status.agreeing(), status.asked(), status.states());
      ChaosReport.printFaults(ChaosReport.effects(injector.applied(), timeline, loadSeconds), out);
      ChaosReport.printDip(timeline, loadSeconds, options.rate, out);
      boolean bursts = counts.getOrDefault(FaultKind.BURST, 0) > 0;
      if (bursts) {
        out.printf(
            "bursts: %,d requests sent in bursts (%.0f%% at priority 9 with a %d s deadline, the"
                + " others at priority 0 with a %.1f s deadline)%n",
            load.burstRequests(),
            100 * options.burst.burstHighShare,
            options.deadline.toSeconds(),
            options.burst.burstLowDeadline.toMillis() / 1000.0);
      }
      LaneLatencies latencies = LaneLatencies.of(sent, watch, ledger);
      latencies.print(options.burst.highPriorityP99Bound, out);
      options.lastLatencies = latencies;
      if (bursts) {
        sampler.join(2_000);
        List<MemorySampler.Span> windows =
            injector.applied().stream()
                .filter(a -> a.kind() == FaultKind.BURST)
                .map(
                    a ->
                        new MemorySampler.Span(a.second(), a.second() + options.burst.burstSeconds))
                .toList();
        options.lastMemoryHeld =
            MemorySampler.print(
                memory.samples(),
                workerIds,
                windows,
                (long) (PipelineProcesses.WORKER_HEAP_MIB + options.burst.nativeAllowanceMib) << 20,
                out);
      }
      List<String> gone = processes.exitedUnasked();
      if (!gone.isEmpty()) {
        out.println("children that ended on their own: " + gone);
      }
      options.lastResult = result;
      options.lastSent = load.sent();
      options.lastStatus = status;
      options.lastFaults = injector.applied();
      boolean failed = "exactly_once".equals(options.deliveryMode) && !result.exactlyOnce();
      out.printf(
          "%s mode: lost %d, duplicated %d -> %s%n",
          options.deliveryMode, result.lost(), result.duplicated(), failed ? "FAILED" : "ok");
      out.flush();
      return failed ? 1 : 0;
    }
  }

  private void warmUp(
      Map<String, Object> client,
      SchemaRegistryClient registry,
      TopicNames topics,
      String runId,
      OutcomeWatch watch,
      OutcomeLedger ledger,
      PipelineProcesses processes)
      throws InterruptedException {
    OpenLoopLoad warm =
        new OpenLoopLoad(
            client,
            registry,
            topics.requestsInbound(),
            runId + "-warmup",
            20,
            20,
            options.deadline.plusMinutes(5));
    warm.run();
    List<String> ids = ledger.submittedAll(warm.acknowledged());
    long until = System.nanoTime() + Duration.ofMinutes(4).toNanos();
    while (watch.answeredOf(ids) < ids.size()) {
      if (System.nanoTime() > until || !processes.exitedUnasked().isEmpty()) {
        throw new IllegalStateException(
            "the pipeline did not answer the warm-up requests (see the logs in the run folder); ended: "
                + processes.exitedUnasked());
      }
      Thread.sleep(200);
    }
  }

  private long drain(OutcomeWatch watch, List<String> ids, PrintWriter out)
      throws InterruptedException {
    long began = System.nanoTime();
    long until = began + options.drainTimeout.toNanos();
    long answered;
    while ((answered = watch.answeredOf(ids)) < ids.size() && System.nanoTime() < until) {
      out.printf("  draining: %,d of %,d answered%n", answered, ids.size());
      out.flush();
      Thread.sleep(5_000);
    }
    return (System.nanoTime() - began) / 1_000_000_000L;
  }

  /** A registry client of {@code url}, with the credentials of --command-config if given. */
  private SchemaRegistryClient registryClient(String url) {
    return options.commandConfig == null
        ? HttpSchemaRegistryClient.forUrl(url)
        : ConnectionOptions.of(null, url, options.commandConfig).registryClient();
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
