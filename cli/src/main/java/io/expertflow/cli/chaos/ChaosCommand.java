package io.expertflow.cli.chaos;

import io.expertflow.cli.commands.ConnectionOptions;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.local.RegistryGate;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.topics.TopicProvisioner;
import io.expertflow.updater.UpdaterBundle;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow chaos}: a steady load with faults injected on a schedule, then a ledger. */
@Command(
    name = "chaos",
    mixinStandardHelpOptions = true,
    description = {
      "Run the pipeline under faults and account for every request. Starts Kafka (or a cluster"
          + " of --brokers nodes) and the schema registry on free ports, unless -b and -r name"
          + " running ones; runs the streams app and --workers workers as child processes; sends"
          + " --requests documents at --rate per second, each with a deadline, while faults are"
          + " injected; waits for the pipeline to drain; then reconciles every submitted request"
          + " with the responses, dead letters and audit records a read_committed reader finds.",
      "Fault kinds: worker-kill, streams-kill, rebalance-storm, broker-kill (needs --brokers 3),"
          + " registry-down, model-update (a version published, rolled back 10 s later),"
          + " updater-kill (an updater child SIGKILLed while it publishes a version; needs a bundle"
          + " 'expertflow train --out' wrote, or the TEST bundle),"
          + " burst (--burst-factor times the rate for --burst-seconds, mixed priorities; the run"
          + " then reports latency per priority lane and the workers' memory), network-cut (a"
          + " worker cut off from Kafka for --cut-duration; needs a single node this command"
          + " starts).",
      "Exit status 1 when a request is lost or answered twice in exactly_once mode.",
      "",
      "Examples:",
      "  expertflow chaos --requests 5000 --rate 50",
      "  expertflow chaos --brokers 3 --requests 100000 --rate 150 \\",
      "      --faults worker-kill:6,streams-kill:4,rebalance-storm:3,broker-kill:4,registry-down:3",
      "  expertflow chaos --requests 30000 --rate 100 --faults burst:2,network-cut:2"
    })
public final class ChaosCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = {"-b", "--bootstrap-servers"},
      description = "Use this Kafka instead of starting one (no broker faults then).")
  String bootstrap;

  @Option(
      names = {"-r", "--schema-registry-url"},
      description = "Use this registry (with -b) instead of starting one.")
  String registryUrl;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "With -b and -r: Kafka client security settings (security.protocol, sasl.*, ssl.*) and"
              + " registry credentials (basic.auth.user.info, bearer.auth.token) for this command's"
              + " clients and every child, as the other commands take them.")
  Path commandConfig;

  @Option(
      names = "--brokers",
      defaultValue = "1",
      description = "Kafka nodes to start (3 for broker faults; default: ${DEFAULT-VALUE}).")
  int brokers;

  @Option(
      names = "--workers",
      defaultValue = "2",
      description = "Workers (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      description =
          "Model bundle, or the folder 'expertflow train --out' wrote (default: the tiny TEST"
              + " bundle, labels a, b, c).")
  Path bundle;

  @Option(
      names = "--rate",
      defaultValue = "50",
      description = "Documents per second (default: ${DEFAULT-VALUE}).")
  double rate;

  @Option(
      names = "--requests",
      defaultValue = "5000",
      description = "Documents to send (default: ${DEFAULT-VALUE}).")
  long requests;

  @Option(
      names = "--deadline",
      defaultValue = "PT120S",
      description = "Deadline of each request after its submission (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  @Option(
      names = "--faults",
      paramLabel = "KIND:COUNT,...",
      description =
          "Faults to inject, spread over the run (default: worker-kill:2,streams-kill:1,rebalance-storm:1,registry-down:1,model-update:1, and broker-kill:2 with a cluster).")
  String faults;

  @Option(
      names = "--streams-static-membership",
      description =
          "Run the streams app with static.membership=true, so a restarted instance takes its"
              + " tasks back at once.")
  boolean streamsStaticMembership;

  @Option(
      names = "--worker-set",
      paramLabel = "KEY=VALUE",
      description =
          "A worker setting for every worker child (docs/CONFIGURATION.md), as the worker's own"
              + " --set; repeatable. Example: --worker-set max.in.flight=4096")
  List<String> workerSettings = new ArrayList<>();

  @Option(
      names = "--delivery-mode",
      defaultValue = "exactly_once",
      description =
          "Workers' delivery.mode: exactly_once, at_least_once, share_group (default: ${DEFAULT-VALUE}).")
  String deliveryMode;

  @Option(
      names = "--drain-timeout",
      defaultValue = "PT180S",
      description =
          "Longest wait for the last outcomes after the load (default: ${DEFAULT-VALUE}).")
  Duration drainTimeout;

  @Option(
      names = "--status-sample",
      defaultValue = "200",
      description =
          "Request ids to ask the status API about at the end (default: ${DEFAULT-VALUE}).")
  int statusSample;

  @Option(
      names = "--burst-seconds",
      defaultValue = "10",
      description = "How long a burst lasts (default: ${DEFAULT-VALUE}).")
  int burstSeconds;

  @Option(
      names = "--burst-factor",
      defaultValue = "10",
      description =
          "The sender's rate in a burst, as a multiple of --rate (default: ${DEFAULT-VALUE}).")
  double burstFactor;

  @Option(
      names = "--burst-high-share",
      defaultValue = "0.1",
      description =
          "Share of the burst's requests sent at priority 9 with --deadline; the others go at"
              + " priority 0 with --burst-low-deadline (default: ${DEFAULT-VALUE}).")
  double burstHighShare;

  @Option(
      names = "--burst-low-deadline",
      defaultValue = "PT3S",
      description =
          "Deadline of the burst's low-priority requests, after their submission (default:"
              + " ${DEFAULT-VALUE}).")
  Duration burstLowDeadline;

  @Option(
      names = "--high-priority-p99-bound",
      defaultValue = "PT5S",
      description =
          "Bound on the p99 latency (send to committed outcome) of the bursts' priority-9"
              + " requests (default: ${DEFAULT-VALUE}).")
  Duration highPriorityP99Bound;

  @Option(
      names = "--native-allowance-mib",
      defaultValue = "640",
      description =
          "Memory a worker may use beyond its heap (-Xmx384m): the bound on its resident set is"
              + " the sum (default: ${DEFAULT-VALUE}).")
  int nativeAllowanceMib;

  @Option(
      names = "--cut-duration",
      defaultValue = "PT50S",
      description =
          "How long a network cut lasts; past the workers' 30 s transaction timeout and the"
              + " consumer's 45 s session timeout by default (default: ${DEFAULT-VALUE}).")
  Duration cutDuration;

  @Option(
      names = "--run-dir",
      paramLabel = "DIR",
      description =
          "Folder for the children's logs and state (default: expertflow-runs/chaos-TIME).")
  Path runDir;

  /** The last run's reconciliation and faults, for tests that run the command in this JVM. */
  Reconciliation lastResult;

  List<FaultInjector.Applied> lastFaults = List.of();

  StatusSample.Result lastStatus;

  LaneLatencies lastLatencies;

  boolean lastMemoryHeld;

  long lastSent;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (rate <= 0 || requests < 1 || workers < 1 || brokers < 1) {
      spec.commandLine()
          .getErr()
          .println("chaos: --rate, --requests, --workers, --brokers must be positive");
      return 2;
    }
    if ((bootstrap == null) != (registryUrl == null)) {
      spec.commandLine().getErr().println("chaos: give both -b and -r, or neither");
      return 2;
    }
    if (commandConfig != null && bootstrap == null) {
      spec.commandLine()
          .getErr()
          .println(
              "chaos: --command-config is for a cluster given with -b and -r; the stack this"
                  + " command starts takes plain connections");
      return 2;
    }
    Map<FaultKind, Integer> counts =
        faults != null ? FaultSchedule.parseCounts(faults) : defaultMix();
    if (counts.getOrDefault(FaultKind.BROKER_KILL, 0) > 0 && (bootstrap != null || brokers < 3)) {
      spec.commandLine()
          .getErr()
          .println("chaos: broker-kill needs a cluster this command starts: --brokers 3, no -b");
      return 2;
    }
    boolean cuts = counts.getOrDefault(FaultKind.NETWORK_CUT, 0) > 0;
    if (cuts && (bootstrap != null || brokers != 1)) {
      spec.commandLine()
          .getErr()
          .println(
              "chaos: network-cut needs a single Kafka node this command starts: --brokers 1, no"
                  + " -b");
      return 2;
    }
    if (burstSeconds < 1 || burstFactor < 1 || burstHighShare < 0 || burstHighShare > 1) {
      spec.commandLine()
          .getErr()
          .println(
              "chaos: --burst-seconds must be positive, --burst-factor 1 or more, --burst-high-share"
                  + " in [0, 1]");
      return 2;
    }
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    String runId = "chaos-" + stamp;
    Path dir = runDir != null ? runDir : Path.of("expertflow-runs", runId);
    Files.createDirectories(dir);
    out.printf("chaos run %s, logs in %s%n", runId, dir.toAbsolutePath());
    out.flush();
    try (WorkerLinks links = cuts ? new WorkerLinks(workerIds()) : null;
        LocalServices services = bootstrap == null ? startStack(dir, links, out) : null) {
      String kafka = services != null ? services.bootstrapServers() : bootstrap;
      String registry = services != null ? services.registry().url() : registryUrl;
      Optional<LocalKafkaCluster> cluster =
          services != null ? services.cluster() : Optional.empty();
      return run(out, dir, runId, kafka, registry, cluster, counts, links);
    }
  }

  private Map<FaultKind, Integer> defaultMix() {
    Map<FaultKind, Integer> mix = new EnumMap<>(FaultKind.class);
    mix.put(FaultKind.WORKER_KILL, 2);
    mix.put(FaultKind.STREAMS_KILL, 1);
    mix.put(FaultKind.REBALANCE_STORM, 1);
    mix.put(FaultKind.REGISTRY_DOWN, 1);
    mix.put(FaultKind.MODEL_UPDATE, 1);
    if (bootstrap == null && brokers >= 3) {
      mix.put(FaultKind.BROKER_KILL, 2);
    }
    return mix;
  }

  private List<String> workerIds() {
    List<String> ids = new ArrayList<>();
    for (int i = 1; i <= workers; i++) {
      ids.add("w-" + i);
    }
    return ids;
  }

  private LocalServices startStack(Path dir, WorkerLinks links, PrintWriter out) {
    out.printf("starting %d Kafka node(s) and the schema registry on free ports...%n", brokers);
    out.flush();
    LocalKafkaBrokerConfig.Builder node =
        LocalKafkaBrokerConfig.builder()
            .clientPort(0)
            .workDir(dir.toAbsolutePath().resolve("kafka"));
    if (links != null) {
      // a listener per worker, advertised at the worker's link, so a cut reaches that worker alone
      node.clientPort(links.clientPort()).controllerPort(links.controllerPort());
      links.brokerProperties().forEach(node::brokerProperty);
    }
    return LocalServices.start(
        brokers,
        node.build(),
        LocalSchemaRegistryConfig.builder()
            .workDir(dir.toAbsolutePath().resolve("schema-registry"))
            .build());
  }

  private int run(
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
        commandConfig == null
            ? Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, kafka)
            : Map.copyOf(ConnectionOptions.of(kafka, registryUrl, commandConfig).kafkaProperties());
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
    // a folder 'expertflow train --out' wrote holds the bundle in model/
    Path bundleDir =
        bundle != null && Files.isRegularFile(bundle.resolve("model").resolve("manifest.json"))
            ? bundle.resolve("model")
            : bundle;
    if (bundleDir == null) {
      bundleDir =
          ModelBundles.tiny(dir.toAbsolutePath().resolve("bundle"), List.of("a", "b", "c")).dir();
      out.println("model: the tiny TEST bundle (random weights, labels a, b, c), " + bundleDir);
      if (counts.getOrDefault(FaultKind.UPDATER_KILL, 0) > 0
          && TestUpdaterFiles.writeIfMissing(bundleDir, 42)) {
        out.println(
            "updater: a TEST replay reservoir and guard set (random vectors the head labels) beside"
                + " the TEST bundle");
      }
    } else if (counts.getOrDefault(FaultKind.UPDATER_KILL, 0) > 0) {
      // fails now, with the reason, rather than at the first updater-kill
      UpdaterBundle.load(bundleDir);
    }
    out.printf(
        "Kafka %s (%d node(s)), registry %s, topics '%s*'%n", kafka, nodes, registryUrl, prefix);
    Duration length = Duration.ofMillis((long) (requests * 1000 / rate));
    FaultSchedule schedule = FaultSchedule.spread(counts, length);
    List<String> workerIds = workerIds();
    int statusPort;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      statusPort = free.getLocalPort();
    }
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
                    deliveryMode,
                    statusPort,
                    streamsStaticMembership,
                    commandConfig == null ? null : commandConfig.toAbsolutePath(),
                    List.copyOf(workerSettings)));
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
          "streams app and %d %s worker(s) starting; warming up...%n", workers, deliveryMode);
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
              rate,
              requests,
              deadline,
              new OpenLoopLoad.Burst(burstFactor, burstHighShare, burstLowDeadline));
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
      injector.bursts(load, Duration.ofSeconds(burstSeconds), burstFactor);
      if (links != null) {
        injector.cuts(links.byWorker(), cutDuration);
      }
      MemorySampler memory = new MemorySampler(workerIds, processes::target, start);
      Thread sampler = daemon("memory-sampler", memory);
      out.printf(
          "load: %,d requests at %.0f/s (about %d s), %d faults:%n",
          requests, rate, length.toSeconds(), schedule.faults().size());
      out.flush();
      Thread sender = daemon("open-loop-load", load);
      Thread faulter = daemon("fault-injector", injector);
      sender.join();
      int loadSeconds = (int) ((System.nanoTime() - start) / 1_000_000_000L);
      // a fault that outlasts the load (or was delayed by a long one) is still applied in full
      faulter.join();
      List<OpenLoopLoad.Submitted> sent = List.copyOf(load.acknowledged());
      List<String> ids = submitted(load, ledger);
      long drained = drain(watch, ids, out);
      memory.stop();
      watch.close();
      watcher.join(5_000);
      out.println("reading responses, dead letters and audit records (read_committed)...");
      out.flush();
      LedgerFeed.Read read =
          LedgerFeed.readInto(ledger, client, direct, topics, Duration.ofMinutes(5));
      Reconciliation result = ledger.reconcile();
      StatusSample.Result status = new StatusSample(statusPort).ask(ids, statusSample);
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
      ChaosReport.printDip(timeline, loadSeconds, rate, out);
      boolean bursts = counts.getOrDefault(FaultKind.BURST, 0) > 0;
      if (bursts) {
        out.printf(
            "bursts: %,d requests sent in bursts (%.0f%% at priority 9 with a %d s deadline, the"
                + " others at priority 0 with a %.1f s deadline)%n",
            load.burstRequests(),
            100 * burstHighShare,
            deadline.toSeconds(),
            burstLowDeadline.toMillis() / 1000.0);
      }
      LaneLatencies latencies = latencies(sent, watch, ledger);
      latencies.print(highPriorityP99Bound, out);
      lastLatencies = latencies;
      if (bursts) {
        sampler.join(2_000);
        List<MemorySampler.Span> windows =
            injector.applied().stream()
                .filter(a -> a.kind() == FaultKind.BURST)
                .map(a -> new MemorySampler.Span(a.second(), a.second() + burstSeconds))
                .toList();
        lastMemoryHeld =
            MemorySampler.print(
                memory.samples(),
                workerIds,
                windows,
                (long) (PipelineProcesses.WORKER_HEAP_MIB + nativeAllowanceMib) << 20,
                out);
      }
      List<String> gone = processes.exitedUnasked();
      if (!gone.isEmpty()) {
        out.println("children that ended on their own: " + gone);
      }
      lastResult = result;
      lastSent = load.sent();
      lastStatus = status;
      lastFaults = injector.applied();
      boolean failed = "exactly_once".equals(deliveryMode) && !result.exactlyOnce();
      out.printf(
          "%s mode: lost %d, duplicated %d -> %s%n",
          deliveryMode, result.lost(), result.duplicated(), failed ? "FAILED" : "ok");
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
            deadline.plusMinutes(5));
    warm.run();
    List<String> ids = submitted(warm, ledger);
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
    long until = began + drainTimeout.toNanos();
    long answered;
    while ((answered = watch.answeredOf(ids)) < ids.size() && System.nanoTime() < until) {
      out.printf("  draining: %,d of %,d answered%n", answered, ids.size());
      out.flush();
      Thread.sleep(5_000);
    }
    return (System.nanoTime() - began) / 1_000_000_000L;
  }

  /** The ids the broker acknowledged, each entered in the ledger with its deadline. */
  private static List<String> submitted(OpenLoopLoad load, OutcomeLedger ledger) {
    List<String> ids = new ArrayList<>();
    load.acknowledged()
        .forEach(
            s -> {
              ids.add(s.requestId());
              ledger.submitted(s.requestId(), s.deadlineMs());
            });
    return ids;
  }

  /** Each sent request's latency to its first committed outcome, by lane. */
  private static LaneLatencies latencies(
      List<OpenLoopLoad.Submitted> sent, OutcomeWatch watch, OutcomeLedger ledger) {
    LaneLatencies latencies = new LaneLatencies();
    for (OpenLoopLoad.Submitted s : sent) {
      Long seen = watch.firstSeenNanos(s.requestId());
      LaneLatencies.Lane lane = LaneLatencies.Lane.of(s);
      latencies.outcome(lane, ledger.expired(s.requestId()), ledger.deadLettered(s.requestId()));
      if (seen == null) {
        latencies.unanswered(lane);
      } else {
        latencies.answered(lane, seen - s.sentNanos());
      }
    }
    return latencies;
  }

  /** A registry client of {@code url}, with the credentials of --command-config if given. */
  private SchemaRegistryClient registryClient(String url) {
    return commandConfig == null
        ? HttpSchemaRegistryClient.forUrl(url)
        : ConnectionOptions.of(null, url, commandConfig).registryClient();
  }

  private static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
