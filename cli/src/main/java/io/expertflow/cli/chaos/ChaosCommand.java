package io.expertflow.cli.chaos;

import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaCluster;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import java.io.PrintWriter;
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
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin BurstOptions burst = new BurstOptions();

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
    if (!burst.valid()) {
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
      return new ChaosRun(this).run(out, dir, runId, kafka, registry, cluster, counts, links);
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

  List<String> workerIds() {
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
}
