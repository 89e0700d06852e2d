package io.expertflow.cli.commands;

import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expertflow streams}: the Kafka Streams topologies (intake, compliance, status, feedback,
 * stats, jobs, review), the HTTP API and the console. Every flag maps onto a key of {@link
 * StreamsAppProperties}, which a {@code --config} file, {@code EXPERTFLOW_*} variables and {@code
 * --set} also give.
 */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streams app: intake validation and dedup, compliance and audit, request status"
          + " (GET /v1/requests/{id}), feedback attribution and weekly expert statistics, job"
          + " figures (GET /v1/jobs), the review queue, all exactly-once; the console at"
          + " http://127.0.0.1:PORT/console/ (this machine only). Runs until Ctrl-C or SIGTERM.",
      "Every setting is a key of docs/CONFIGURATION.md (streams settings), settable in a --config"
          + " file, as EXPERTFLOW_<KEY> (dots as underscores), with --set KEY=VALUE, or with the"
          + " flags below; later ones win. Durations: 500ms, 30s, 5m, 2h, 7d or ISO-8601.",
      "",
      "Example:  expertflow streams --rules rules.yaml --http-port 8090"
    })
public final class StreamsCommand implements Callable<Integer> {
  /** Longest a stopping streams app may take to close its topologies and the status API. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Mixin SettingsOptions settingSources = new SettingsOptions();

  @Option(names = "--application-id", description = "Base application id.")
  String applicationId;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Kafka Streams state folder (default: the local stack's own folder when this runs"
              + " against 'expertflow up', else <tmp>/expertflow-streams/<the cluster's id>).")
  Path stateDir;

  /** The local stack's file, which names the stack's state folder. */
  Path stackFile = Path.of(ConnectionOptions.STACK_FILE);

  @Option(names = "--threads", description = "Stream threads per topology.")
  Integer threads;

  @Option(names = "--commit-interval-ms", description = "Exactly-once commit interval.")
  String commitIntervalMs;

  @Option(names = "--instance-id", description = "Id written into dead letters (default: host).")
  String instanceId;

  @Option(
      names = "--topologies",
      paramLabel = "LIST",
      description =
          "Comma list of intake,compliance,status,feedback,stats,jobs,review (default: all).")
  String topologies;

  @Option(
      names = "--allowed-tenants",
      paramLabel = "LIST",
      description = "Tenants intake accepts (default: all).")
  String allowedTenants;

  @Option(names = "--max-text-bytes", description = "Largest document, UTF-8 bytes.")
  Integer maxTextBytes;

  @Option(names = "--max-chunks", description = "Most client chunks per request.")
  Integer maxChunks;

  @Option(names = "--max-priority", description = "Highest priority lane.")
  Integer maxPriority;

  @Option(
      names = "--dedup-window",
      paramLabel = "DURATION",
      description = "Duplicate request-id window, e.g. 24h.")
  String dedupWindow;

  @Option(names = "--rules", paramLabel = "FILE", description = "YAML compliance rule file.")
  Path rules;

  @Option(
      names = "--default-decision",
      description = "Decision without a rule file: APPROVED, REVIEW, BLOCKED.")
  String defaultDecision;

  @Option(
      names = "--feedback-match-timeout",
      paramLabel = "DURATION",
      description = "How long feedback waits for its response.")
  String feedbackMatchTimeout;

  @Option(
      names = "--response-retention",
      paramLabel = "DURATION",
      description = "How long responses are kept to be rated.")
  String responseRetention;

  @Option(names = "--max-label-length", description = "Longest corrected label.")
  Integer maxLabelLength;

  @Option(
      names = "--stats-window",
      paramLabel = "DURATION",
      description = "Expert statistics window, e.g. 7d.")
  String statsWindow;

  @Option(
      names = "--stats-grace",
      paramLabel = "DURATION",
      description = "Grace for late feedback, e.g. 1d.")
  String statsGrace;

  @Option(names = "--no-http", description = "Do not serve the request-status API.")
  boolean noHttp;

  @Option(
      names = "--http-bind",
      paramLabel = "ADDRESS",
      description =
          "Address of the HTTP API (default: 0.0.0.0; 127.0.0.1 when this runs against the local"
              + " stack).")
  String httpBind;

  @Option(names = "--http-port", description = "Port of the status API (0: any free port).")
  Integer httpPort;

  @Option(
      names = "--advertised-host",
      description = "Host other instances reach this one at (application.server).")
  String advertisedHost;

  @Option(
      names = "--streams-config",
      paramLabel = "KEY=VALUE",
      description = "A Kafka Streams property passed through; repeatable.")
  Map<String, String> streamsConfig = new LinkedHashMap<>();

  @Override
  public Integer call() throws Exception {
    StreamsAppConfig config = withClusterStateDir(StreamsAppProperties.toConfig(settings()));
    PrintWriter out = spec.commandLine().getOut();
    // the registry client of --command-config: its credentials too (basic or bearer auth)
    io.expertflow.schemas.registry.SchemaRegistryClient registry = connection.registryClient();
    StreamsApp app;
    try {
      app = StreamsApp.start(config, registry, rollbacks(config, connection));
    } catch (RuntimeException e) {
      registry.close();
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    AutoCloseable stop =
        () -> {
          try {
            app.close();
            registry.close();
          } finally {
            stopped.countDown();
          }
        };
    new ServiceShutdown("streams", stop, STOP_GRACE)
        .run(
            () -> {
              out.printf(
                  "streams app running: topologies %s, topics '%s*'%s%nPress Ctrl-C to stop.%n",
                  app.streams().keySet(),
                  config.topics().prefix(),
                  app.httpPort().isPresent()
                      ? ", status API on port " + app.httpPort().getAsInt()
                      : "");
              out.flush();
              stopped.await();
            });
    return 0;
  }

  /** {@code config} with its cluster's state folder where it keeps the shared default one. */
  StreamsAppConfig withClusterStateDir(StreamsAppConfig config) throws InterruptedException {
    return ClusterStateDir.settle(config, extra -> StreamsAppProperties.toConfig(settings(extra)));
  }

  /**
   * The app's settings, later ones winning: the local stack's addresses and {@code
   * --command-config}, the {@code --config} file, {@code EXPERTFLOW_*} variables, {@code --set},
   * then flags.
   */
  SettingValues settings() {
    return settings(Map.of());
  }

  /** As {@link #settings()}, with {@code defaults} under every source. */
  private SettingValues settings(Map<String, String> defaults) {
    Map<String, String> security = new LinkedHashMap<>(defaults);
    connection
        .kafkaProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                security.put(StreamsAppProperties.STREAMS_PREFIX + k, String.valueOf(v));
              }
            });
    Map<String, String> flags = new LinkedHashMap<>();
    put(flags, StreamsAppProperties.APPLICATION_ID, applicationId);
    put(flags, StreamsAppProperties.STATE_DIR, stateDir);
    put(flags, StreamsAppProperties.STREAM_THREADS, threads);
    put(flags, StreamsAppProperties.COMMIT_INTERVAL, commitIntervalMs);
    put(flags, StreamsAppProperties.INSTANCE_ID, instanceId);
    put(flags, StreamsAppProperties.TOPOLOGIES, topologies);
    put(flags, StreamsAppProperties.INTAKE_ALLOWED_TENANTS, allowedTenants);
    put(flags, StreamsAppProperties.INTAKE_MAX_TEXT_BYTES, maxTextBytes);
    put(flags, StreamsAppProperties.INTAKE_MAX_CHUNKS, maxChunks);
    put(flags, StreamsAppProperties.INTAKE_MAX_PRIORITY, maxPriority);
    put(flags, StreamsAppProperties.INTAKE_DEDUP_WINDOW, dedupWindow);
    put(flags, StreamsAppProperties.COMPLIANCE_RULES_FILE, rules);
    put(flags, StreamsAppProperties.COMPLIANCE_DEFAULT_DECISION, defaultDecision);
    put(flags, StreamsAppProperties.FEEDBACK_MATCH_TIMEOUT, feedbackMatchTimeout);
    put(flags, StreamsAppProperties.FEEDBACK_RESPONSE_RETENTION, responseRetention);
    put(flags, StreamsAppProperties.FEEDBACK_MAX_LABEL_LENGTH, maxLabelLength);
    put(flags, StreamsAppProperties.STATS_WINDOW_SIZE, statsWindow);
    put(flags, StreamsAppProperties.STATS_GRACE, statsGrace);
    put(flags, StreamsAppProperties.HTTP_BIND, httpBind);
    put(flags, StreamsAppProperties.HTTP_PORT, httpPort);
    put(flags, StreamsAppProperties.HTTP_ADVERTISED_HOST, advertisedHost);
    if (noHttp) {
      flags.put(StreamsAppProperties.HTTP_ENABLED.name(), "false");
    }
    streamsConfig.forEach((k, v) -> flags.put(StreamsAppProperties.STREAMS_PREFIX + k, v));
    SettingValues values =
        settingSources.bind(StreamsAppProperties.TABLE, connection, security, flags);
    Map<String, String> fromStack =
        StackStreamsDefaults.of(values, stackFile, DevAuditKey.fromStack());
    if (fromStack.isEmpty()) {
      return values;
    }
    security.putAll(fromStack);
    return settingSources.bind(StreamsAppProperties.TABLE, connection, security, flags);
  }

  private static void put(Map<String, String> flags, SettingKey<?> key, Object value) {
    if (value != null) {
      flags.put(key.name(), value.toString());
    }
  }

  /** The console's rollback: the same as {@code expertflow versions rollback}. */
  static io.expertflow.streams.console.VersionRollbacks rollbacks(
      StreamsAppConfig config, ConnectionOptions connection) {
    return (model, target, reason) -> {
      try (io.expertflow.schemas.registry.SchemaRegistryClient registry =
              connection.registryClient();
          io.expertflow.versions.VersionRollback rollback =
              new io.expertflow.versions.VersionRollback(
                  config.topics(),
                  StreamsApp.clientProperties(config),
                  registry,
                  java.time.Clock.systemUTC())) {
        return rollback.rollback(model, target, reason).getVersion();
      }
    };
  }
}
