package io.expertflow.cli.commands;

import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expertflow streams}: the Kafka Streams topologies (intake, compliance, status, feedback,
 * stats) and the request-status API. Every flag maps onto a key of {@link StreamsAppProperties}; a
 * {@code --config} file supplies the same keys, and flags win over it.
 */
@Command(
    name = "streams",
    mixinStandardHelpOptions = true,
    description = {
      "Run the streams app: intake validation and dedup, compliance and audit, request status"
          + " (GET /v1/requests/{id}), feedback attribution and weekly expert statistics, all"
          + " exactly-once. Runs until Ctrl-C.",
      "",
      "Example:  expertflow streams --rules rules.yaml --http-port 8090"
    })
public final class StreamsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(names = "--config", paramLabel = "FILE", description = "Properties file of app keys.")
  Path configFile;

  @Option(names = "--application-id", description = "Base application id.")
  String applicationId;

  @Option(names = "--state-dir", paramLabel = "DIR", description = "Kafka Streams state folder.")
  Path stateDir;

  @Option(names = "--threads", description = "Stream threads per topology.")
  Integer threads;

  @Option(names = "--commit-interval-ms", description = "Exactly-once commit interval.")
  Long commitIntervalMs;

  @Option(names = "--instance-id", description = "Id written into dead letters (default: host).")
  String instanceId;

  @Option(
      names = "--topologies",
      paramLabel = "LIST",
      description = "Comma list of intake,compliance,status,feedback,stats (default: all).")
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
      description = "Duplicate request-id window, e.g. PT24H.")
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
      description = "Expert statistics window, e.g. P7D.")
  String statsWindow;

  @Option(
      names = "--stats-grace",
      paramLabel = "DURATION",
      description = "Grace for late feedback, e.g. P1D.")
  String statsGrace;

  @Option(names = "--no-http", description = "Do not serve the request-status API.")
  boolean noHttp;

  @Option(names = "--http-bind", description = "Address of the status API.")
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
    StreamsAppConfig config = StreamsAppProperties.toConfig(properties());
    PrintWriter out = spec.commandLine().getOut();
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
    try (StreamsApp app = StreamsApp.start(config)) {
      out.printf(
          "streams app running: topologies %s, topics '%s*'%s%nPress Ctrl-C to stop.%n",
          app.streams().keySet(),
          config.topics().prefix(),
          app.httpPort().isPresent() ? ", status API on port " + app.httpPort().getAsInt() : "");
      out.flush();
      stop.await();
    }
    return 0;
  }

  /** The app's keys: the config file, then connection settings, then flags. */
  Map<String, String> properties() throws IOException {
    Map<String, String> props = new LinkedHashMap<>();
    if (configFile != null) {
      Properties file = new Properties();
      try (InputStream in = Files.newInputStream(configFile)) {
        file.load(in);
      }
      file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k)));
    }
    props.put(StreamsAppProperties.BOOTSTRAP_SERVERS, connection.bootstrapServers());
    props.put(StreamsAppProperties.SCHEMA_REGISTRY_URL, connection.schemaRegistryUrl());
    props.put(StreamsAppProperties.TOPIC_PREFIX, connection.topicPrefix());
    connection
        .kafkaProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals(StreamsAppProperties.BOOTSTRAP_SERVERS)) {
                props.put(StreamsAppProperties.STREAMS_PREFIX + k, String.valueOf(v));
              }
            });
    put(props, StreamsAppProperties.APPLICATION_ID, applicationId);
    put(props, StreamsAppProperties.STATE_DIR, stateDir);
    put(props, StreamsAppProperties.STREAM_THREADS, threads);
    put(props, StreamsAppProperties.COMMIT_INTERVAL_MS, commitIntervalMs);
    put(props, StreamsAppProperties.INSTANCE_ID, instanceId);
    put(props, StreamsAppProperties.TOPOLOGIES, topologies);
    put(props, StreamsAppProperties.INTAKE_ALLOWED_TENANTS, allowedTenants);
    put(props, StreamsAppProperties.INTAKE_MAX_TEXT_BYTES, maxTextBytes);
    put(props, StreamsAppProperties.INTAKE_MAX_CHUNKS, maxChunks);
    put(props, StreamsAppProperties.INTAKE_MAX_PRIORITY, maxPriority);
    put(props, StreamsAppProperties.INTAKE_DEDUP_WINDOW, dedupWindow);
    put(props, StreamsAppProperties.COMPLIANCE_RULES_FILE, rules);
    put(props, StreamsAppProperties.COMPLIANCE_DEFAULT_DECISION, defaultDecision);
    put(props, StreamsAppProperties.FEEDBACK_MATCH_TIMEOUT, feedbackMatchTimeout);
    put(props, StreamsAppProperties.FEEDBACK_RESPONSE_RETENTION, responseRetention);
    put(props, StreamsAppProperties.FEEDBACK_MAX_LABEL_LENGTH, maxLabelLength);
    put(props, StreamsAppProperties.STATS_WINDOW_SIZE, statsWindow);
    put(props, StreamsAppProperties.STATS_GRACE, statsGrace);
    put(props, StreamsAppProperties.HTTP_BIND, httpBind);
    put(props, StreamsAppProperties.HTTP_PORT, httpPort);
    put(props, StreamsAppProperties.HTTP_ADVERTISED_HOST, advertisedHost);
    if (noHttp) {
      props.put(StreamsAppProperties.HTTP_ENABLED, "false");
    }
    streamsConfig.forEach((k, v) -> props.put(StreamsAppProperties.STREAMS_PREFIX + k, v));
    return props;
  }

  private static void put(Map<String, String> props, String key, Object value) {
    if (value != null) {
      props.put(key, value.toString());
    }
  }
}
