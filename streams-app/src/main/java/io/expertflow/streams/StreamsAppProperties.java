package io.expertflow.streams;

import static io.expertflow.schemas.settings.SettingType.BOOLEAN;
import static io.expertflow.schemas.settings.SettingType.DURATION;
import static io.expertflow.schemas.settings.SettingType.INT;
import static io.expertflow.schemas.settings.SettingType.LIST;
import static io.expertflow.schemas.settings.SettingType.STRING;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.memory.feed.MemoryKeys;
import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingTable;
import io.expertflow.schemas.settings.SettingType;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.feedback.FeedbackConfig;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.stats.StatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The keys of the streams app, with type, default and meaning (its rows of docs/CONFIGURATION.md),
 * each mapped onto {@link StreamsAppConfig}. Keys starting with {@code streams.} pass through to
 * Kafka Streams. Stateless.
 */
public final class StreamsAppProperties {
  /** Prefix of Kafka Streams properties passed through, e.g. {@code streams.replication.factor}. */
  public static final String STREAMS_PREFIX = "streams.";

  public static final SettingKey<String> TOPIC_PREFIX =
      SettingKey.of(
          "topic.prefix", STRING, TopicNames.DEFAULT_PREFIX, "Prefix of every topic name.");
  public static final SettingKey<String> APPLICATION_ID =
      SettingKey.of(
          "application.id",
          STRING,
          StreamsAppConfig.DEFAULT_APPLICATION_ID,
          "Base application id; each topology runs as <id>-<topology>.");
  public static final SettingKey<String> STATE_DIR =
      SettingKey.computed(
          "state.dir",
          STRING,
          "<tmp>/expertflow-streams",
          "Kafka Streams state folder (against a local stack: the one 'expertflow up' made;"
              + " unset, 'expertflow streams' uses <tmp>/expertflow-streams/<cluster id>).");
  public static final SettingKey<Integer> STREAM_THREADS =
      SettingKey.of(
          "num.stream.threads",
          INT,
          StreamsAppConfig.DEFAULT_STREAM_THREADS,
          "Stream threads per topology.");
  public static final SettingKey<Duration> COMMIT_INTERVAL =
      SettingKey.of(
          "commit.interval.ms",
          DURATION,
          Duration.ofMillis(StreamsAppConfig.DEFAULT_COMMIT_INTERVAL_MS),
          "Exactly-once commit interval.");
  public static final SettingKey<String> INSTANCE_ID =
      SettingKey.computed("instance.id", STRING, "host name", "Id written into dead letters.");
  public static final SettingKey<Set<AppTopology>> TOPOLOGIES =
      SettingKey.of(
          "topologies",
          new SettingType<>(
              "list",
              StreamsAppProperties::topologies,
              v -> v.stream().map(AppTopology::id).collect(Collectors.joining(","))),
          StreamsAppConfig.DEFAULT_TOPOLOGIES,
          "Enabled topologies.");
  public static final SettingKey<Set<String>> INTAKE_ALLOWED_TENANTS =
      SettingKey.of(
          "intake.allowed.tenants",
          LIST,
          IntakeConfig.DEFAULT_ALLOWED_TENANTS,
          "Tenants intake accepts; empty accepts all.");
  public static final SettingKey<Integer> INTAKE_MAX_TEXT_BYTES =
      SettingKey.of(
          "intake.max.text.bytes",
          INT,
          IntakeConfig.DEFAULT_MAX_TEXT_BYTES,
          "Largest document in UTF-8 bytes.");
  public static final SettingKey<Integer> INTAKE_MAX_CHUNKS =
      SettingKey.of(
          "intake.max.chunks",
          INT,
          IntakeConfig.DEFAULT_MAX_CHUNKS,
          "Most client-supplied chunks per request.");
  public static final SettingKey<Integer> INTAKE_MAX_PRIORITY =
      SettingKey.of(
          "intake.max.priority", INT, IntakeConfig.DEFAULT_MAX_PRIORITY, "Highest priority lane.");
  public static final SettingKey<Duration> INTAKE_DEDUP_WINDOW =
      SettingKey.of(
          "intake.dedup.window",
          DURATION,
          IntakeConfig.DEFAULT_DEDUP_WINDOW,
          "Window in which a repeated request id is a duplicate (at least 1 minute).");
  public static final SettingKey<String> COMPLIANCE_RULES_FILE =
      SettingKey.computed(
          "compliance.rules.file",
          STRING,
          "none",
          "YAML compliance rule file; none: every response gets the default decision.");
  public static final SettingKey<ComplianceDecision> COMPLIANCE_DEFAULT_DECISION =
      SettingKey.of(
          "compliance.default.decision",
          SettingType.oneOf(ComplianceDecision.class),
          StreamsAppConfig.DEFAULT_DECISION,
          "Decision when no rules file is given.");
  public static final SettingKey<String> AUDIT_SIGNING_KEY_FILE =
      SettingKey.computed(
          "audit.signing.key.file",
          STRING,
          "none",
          "Ed25519 private key (PKCS#8 PEM or raw 32-byte seed) that signs audit records; none and"
              + " no audit.signing.key: records are unsigned.");
  public static final SettingKey<String> AUDIT_SIGNING_KEY =
      SettingKey.computed(
          "audit.signing.key",
          STRING,
          "none",
          "The signing key itself (PEM, or base64 of the PKCS#8 DER or 32-byte seed), meant for"
              + " the environment variable; never logged.");
  public static final SettingKey<Duration> FEEDBACK_MATCH_TIMEOUT =
      SettingKey.of(
          "feedback.match.timeout",
          DURATION,
          FeedbackConfig.DEFAULT_MATCH_TIMEOUT,
          "How long feedback waits for its response (wall-clock).");
  public static final SettingKey<Duration> FEEDBACK_RESPONSE_RETENTION =
      SettingKey.of(
          "feedback.response.retention",
          DURATION,
          FeedbackConfig.DEFAULT_RESPONSE_RETENTION,
          "How long responses are kept to be rated.");
  public static final SettingKey<Integer> FEEDBACK_MAX_LABEL_LENGTH =
      SettingKey.of(
          "feedback.max.label.length",
          INT,
          FeedbackConfig.DEFAULT_MAX_LABEL_LENGTH,
          "Longest accepted corrected label, 1 to 200 (the longest label name a model can have).");
  public static final SettingKey<Duration> STATS_WINDOW_SIZE =
      SettingKey.of(
          "stats.window.size",
          DURATION,
          StatsConfig.DEFAULT_WINDOW_SIZE,
          "Tumbling window size of expert statistics.");
  public static final SettingKey<Duration> STATS_GRACE =
      SettingKey.of(
          "stats.grace",
          DURATION,
          StatsConfig.DEFAULT_GRACE,
          "Grace after a window's end for late feedback.");
  public static final SettingKey<Boolean> HTTP_ENABLED =
      SettingKey.of(
          "http.enabled",
          BOOLEAN,
          StreamsAppConfig.DEFAULT_HTTP_ENABLED,
          "Serve the HTTP API (request status, jobs, the console under /console/) when the status,"
              + " jobs or review topology runs; flag --no-http.");
  public static final SettingKey<String> HTTP_BIND =
      SettingKey.of(
          "http.bind",
          STRING,
          StreamsAppConfig.DEFAULT_HTTP_BIND,
          "Address the HTTP API binds to ('expertflow streams' against the local stack: 127.0.0.1"
              + " unless set). Without http.auth.tokens.file, /v1/ answers every caller that"
              + " reaches it (the app warns at start when that is beyond loopback); the console"
              + " and the job export answer loopback callers only.");
  public static final SettingKey<Integer> HTTP_PORT =
      SettingKey.of(
          "http.port",
          INT,
          StreamsAppConfig.DEFAULT_HTTP_PORT,
          "Port of the HTTP API and the console (0: any free port).");
  public static final SettingKey<String> HTTP_AUTH_TOKENS_FILE =
      SettingKey.computed(
          "http.auth.tokens.file",
          STRING,
          "none",
          "Bearer tokens of the HTTP API, one 'tenant:sha256-of-token' line each ('*' reads every"
              + " tenant; 'expertflow token create' writes them): every /v1/ path then needs a"
              + " token and shows a caller its own tenant only; none: no authentication.");
  public static final SettingKey<Boolean> STATIC_MEMBERSHIP =
      SettingKey.of(
          "static.membership",
          BOOLEAN,
          false,
          "Join each topology's consumer group as a static member (group.instance.id ="
              + " instance.id and the stream thread), so an instance restarted under the same"
              + " instance.id after a crash takes its tasks back at once instead of waiting for"
              + " its dead member's session to time out. Needs an instance.id unique and stable"
              + " per instance (a StatefulSet's pod name); two instances with one id fence each"
              + " other.");
  public static final SettingKey<String> HTTP_ADVERTISED_HOST =
      SettingKey.of(
          "http.advertised.host",
          STRING,
          StreamsAppConfig.DEFAULT_ADVERTISED_HOST,
          "Host name other instances use to reach this one (application.server).");

  /** The streams app's table: connection keys, then its own; {@code streams.*} passes through. */
  public static final SettingTable TABLE = table();

  private StreamsAppProperties() {}

  /**
   * The configuration from {@code props}; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException naming the key and value that cannot be used
   */
  public static StreamsAppConfig toConfig(Map<String, String> props) {
    return toConfig(SettingValues.of(TABLE, props));
  }

  /** The configuration from the bound settings. */
  public static StreamsAppConfig toConfig(SettingValues v) {
    StreamsAppConfigBuilder b =
        StreamsAppConfig.builder()
            .bootstrapServers(v.get(ConnectionKeys.BOOTSTRAP_SERVERS))
            .schemaRegistryUrl(v.get(ConnectionKeys.SCHEMA_REGISTRY_URL))
            .applicationId(v.get(APPLICATION_ID))
            .topicPrefix(v.get(TOPIC_PREFIX))
            .streamThreads(v.get(STREAM_THREADS))
            .commitIntervalMs(v.get(COMMIT_INTERVAL).toMillis())
            .topologies(v.get(TOPOLOGIES))
            .intake(
                new IntakeConfig(
                    v.get(INTAKE_ALLOWED_TENANTS),
                    v.get(INTAKE_MAX_TEXT_BYTES),
                    v.get(INTAKE_MAX_CHUNKS),
                    v.get(INTAKE_MAX_PRIORITY),
                    v.get(INTAKE_DEDUP_WINDOW)))
            .defaultDecision(v.get(COMPLIANCE_DEFAULT_DECISION))
            .feedback(
                new FeedbackConfig(
                    v.get(FEEDBACK_MATCH_TIMEOUT),
                    v.get(FEEDBACK_RESPONSE_RETENTION),
                    v.get(FEEDBACK_MAX_LABEL_LENGTH)))
            .stats(new StatsConfig(v.get(STATS_WINDOW_SIZE), v.get(STATS_GRACE)))
            .httpEnabled(v.get(HTTP_ENABLED))
            .httpBind(v.get(HTTP_BIND))
            .httpPort(v.get(HTTP_PORT))
            .advertisedHost(v.get(HTTP_ADVERTISED_HOST));
    v.given(STATE_DIR).map(Path::of).ifPresent(b::stateDir);
    v.given(INSTANCE_ID).ifPresent(b::instanceId);
    v.given(COMPLIANCE_RULES_FILE).map(Path::of).ifPresent(b::rulesFile);
    v.given(AUDIT_SIGNING_KEY_FILE).map(Path::of).ifPresent(b::auditSigningKeyFile);
    v.given(HTTP_AUTH_TOKENS_FILE).map(Path::of).ifPresent(b::httpTokensFile);
    v.given(AUDIT_SIGNING_KEY).ifPresent(b::auditSigningKey);
    b.staticMembership(v.get(STATIC_MEMBERSHIP));
    v.passThrough(STREAMS_PREFIX).forEach(b::streamsOverride);
    b.memory(MemoryKeys.settings(v, v.get(APPLICATION_ID)));
    return b.build();
  }

  /** Comma-separated topology ids. */
  public static Set<AppTopology> topologies(String value) {
    Set<AppTopology> out = EnumSet.noneOf(AppTopology.class);
    LIST.parse(value).forEach(id -> out.add(AppTopology.fromId(id)));
    return out;
  }

  private static SettingTable table() {
    List<SettingKey<?>> keys = new ArrayList<>(ConnectionKeys.KEYS);
    keys.addAll(
        List.of(
            TOPIC_PREFIX,
            APPLICATION_ID,
            STATE_DIR,
            STREAM_THREADS,
            COMMIT_INTERVAL,
            INSTANCE_ID,
            TOPOLOGIES,
            INTAKE_ALLOWED_TENANTS,
            INTAKE_MAX_TEXT_BYTES,
            INTAKE_MAX_CHUNKS,
            INTAKE_MAX_PRIORITY,
            INTAKE_DEDUP_WINDOW,
            COMPLIANCE_RULES_FILE,
            COMPLIANCE_DEFAULT_DECISION,
            AUDIT_SIGNING_KEY_FILE,
            AUDIT_SIGNING_KEY,
            FEEDBACK_MATCH_TIMEOUT,
            FEEDBACK_RESPONSE_RETENTION,
            FEEDBACK_MAX_LABEL_LENGTH,
            STATS_WINDOW_SIZE,
            STATS_GRACE,
            HTTP_ENABLED,
            HTTP_BIND,
            HTTP_PORT,
            HTTP_AUTH_TOKENS_FILE,
            HTTP_ADVERTISED_HOST,
            STATIC_MEMBERSHIP));
    keys.addAll(MemoryKeys.KEYS);
    return SettingTable.of("streams", keys, STREAMS_PREFIX);
  }
}
