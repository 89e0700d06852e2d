package io.expertflow.streams;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.feedback.FeedbackConfig;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.stats.StatsConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The property keys of the streams app (for properties files and environment-style maps), each
 * mapped onto {@link StreamsAppConfig}. Durations are ISO-8601 ({@code PT24H}, {@code P7D}) or
 * plain milliseconds; lists are comma-separated. Stateless.
 */
public final class StreamsAppProperties {
  /** Kafka bootstrap servers. Default {@value StreamsAppConfig#DEFAULT_BOOTSTRAP_SERVERS}. */
  public static final String BOOTSTRAP_SERVERS = "bootstrap.servers";

  /** Schema registry URL(s), comma-separated. */
  public static final String SCHEMA_REGISTRY_URL = "schema.registry.url";

  /** Base application id; each topology runs as {@code <id>-<topology>}. */
  public static final String APPLICATION_ID = "application.id";

  /** Prefix of every topic name. Default {@value TopicNames#DEFAULT_PREFIX}. */
  public static final String TOPIC_PREFIX = "topic.prefix";

  /** Kafka Streams state directory. */
  public static final String STATE_DIR = "state.dir";

  /** Stream threads per topology. */
  public static final String STREAM_THREADS = "num.stream.threads";

  /** Exactly-once commit interval in ms. */
  public static final String COMMIT_INTERVAL_MS = "commit.interval.ms";

  /** Instance id written into dead letters. Default: the host name. */
  public static final String INSTANCE_ID = "instance.id";

  /** Enabled topologies: intake, compliance, status, feedback, stats. Default: all. */
  public static final String TOPOLOGIES = "topologies";

  /** Tenants intake accepts; empty accepts all. */
  public static final String INTAKE_ALLOWED_TENANTS = "intake.allowed.tenants";

  /** Largest document in UTF-8 bytes. */
  public static final String INTAKE_MAX_TEXT_BYTES = "intake.max.text.bytes";

  /** Most client-supplied chunks per request. */
  public static final String INTAKE_MAX_CHUNKS = "intake.max.chunks";

  /** Highest priority lane. */
  public static final String INTAKE_MAX_PRIORITY = "intake.max.priority";

  /** Window in which a repeated request id is a duplicate. */
  public static final String INTAKE_DEDUP_WINDOW = "intake.dedup.window";

  /** YAML compliance rule file; none: every response gets the default decision. */
  public static final String COMPLIANCE_RULES_FILE = "compliance.rules.file";

  /** Decision when no rules file is given: APPROVED, REVIEW or BLOCKED. */
  public static final String COMPLIANCE_DEFAULT_DECISION = "compliance.default.decision";

  /** How long feedback waits for its response (wall-clock). */
  public static final String FEEDBACK_MATCH_TIMEOUT = "feedback.match.timeout";

  /** How long responses are kept to be rated. */
  public static final String FEEDBACK_RESPONSE_RETENTION = "feedback.response.retention";

  /** Longest accepted corrected label. */
  public static final String FEEDBACK_MAX_LABEL_LENGTH = "feedback.max.label.length";

  /** Tumbling window size of expert statistics. */
  public static final String STATS_WINDOW_SIZE = "stats.window.size";

  /** Grace after a window's end for late feedback. */
  public static final String STATS_GRACE = "stats.grace";

  /** Whether to serve the request-status API. */
  public static final String HTTP_ENABLED = "http.enabled";

  /** Address the status API binds to. */
  public static final String HTTP_BIND = "http.bind";

  /** Port of the status API (0: any free port). */
  public static final String HTTP_PORT = "http.port";

  /** Host name other instances use to reach this one (application.server). */
  public static final String HTTP_ADVERTISED_HOST = "http.advertised.host";

  /** Prefix of Kafka Streams properties passed through, e.g. {@code streams.replication.factor}. */
  public static final String STREAMS_PREFIX = "streams.";

  private StreamsAppProperties() {}

  /**
   * The configuration from {@code props}; absent keys keep their defaults.
   *
   * @throws IllegalArgumentException naming the key and value that cannot be used
   */
  public static StreamsAppConfig toConfig(Map<String, String> props) {
    StreamsAppConfig.Builder b = StreamsAppConfig.builder();
    Reader r = new Reader(props);
    r.string(BOOTSTRAP_SERVERS).ifPresent(b::bootstrapServers);
    r.string(SCHEMA_REGISTRY_URL).ifPresent(b::schemaRegistryUrl);
    r.string(APPLICATION_ID).ifPresent(b::applicationId);
    if (props.containsKey(TOPIC_PREFIX)) {
      b.topicPrefix(props.get(TOPIC_PREFIX));
    }
    r.string(STATE_DIR).map(Path::of).ifPresent(b::stateDir);
    r.parse(STREAM_THREADS, Integer::parseInt).ifPresent(b::streamThreads);
    r.parse(COMMIT_INTERVAL_MS, Long::parseLong).ifPresent(b::commitIntervalMs);
    r.string(INSTANCE_ID).ifPresent(b::instanceId);
    r.parse(TOPOLOGIES, StreamsAppProperties::topologies).ifPresent(b::topologies);
    IntakeConfig i = IntakeConfig.defaults();
    b.intake(
        new IntakeConfig(
            r.parse(INTAKE_ALLOWED_TENANTS, StreamsAppProperties::list).orElse(i.allowedTenants()),
            r.parse(INTAKE_MAX_TEXT_BYTES, Integer::parseInt).orElse(i.maxTextBytes()),
            r.parse(INTAKE_MAX_CHUNKS, Integer::parseInt).orElse(i.maxChunks()),
            r.parse(INTAKE_MAX_PRIORITY, Integer::parseInt).orElse(i.maxPriority()),
            r.parse(INTAKE_DEDUP_WINDOW, StreamsAppProperties::duration).orElse(i.dedupWindow())));
    r.string(COMPLIANCE_RULES_FILE).map(Path::of).ifPresent(b::rulesFile);
    r.parse(
            COMPLIANCE_DEFAULT_DECISION,
            v -> ComplianceDecision.valueOf(v.toUpperCase(Locale.ROOT)))
        .ifPresent(b::defaultDecision);
    FeedbackConfig f = FeedbackConfig.defaults();
    b.feedback(
        new FeedbackConfig(
            r.parse(FEEDBACK_MATCH_TIMEOUT, StreamsAppProperties::duration)
                .orElse(f.matchTimeout()),
            r.parse(FEEDBACK_RESPONSE_RETENTION, StreamsAppProperties::duration)
                .orElse(f.responseRetention()),
            r.parse(FEEDBACK_MAX_LABEL_LENGTH, Integer::parseInt).orElse(f.maxLabelLength())));
    StatsConfig s = StatsConfig.defaults();
    b.stats(
        new StatsConfig(
            r.parse(STATS_WINDOW_SIZE, StreamsAppProperties::duration).orElse(s.windowSize()),
            r.parse(STATS_GRACE, StreamsAppProperties::duration).orElse(s.grace())));
    r.parse(HTTP_ENABLED, StreamsAppProperties::bool).ifPresent(b::httpEnabled);
    r.string(HTTP_BIND).ifPresent(b::httpBind);
    r.parse(HTTP_PORT, Integer::parseInt).ifPresent(b::httpPort);
    r.string(HTTP_ADVERTISED_HOST).ifPresent(b::advertisedHost);
    props.forEach(
        (k, v) -> {
          if (k.startsWith(STREAMS_PREFIX)) {
            b.streamsOverride(k.substring(STREAMS_PREFIX.length()), v);
          }
        });
    return b.build();
  }

  /** An ISO-8601 duration or a number of milliseconds. */
  public static Duration duration(String value) {
    String v = value.trim();
    if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
      return Duration.ofMillis(Long.parseLong(v));
    }
    try {
      return Duration.parse(v.toUpperCase(Locale.ROOT));
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' is neither ISO-8601 (PT24H, P7D) nor ms");
    }
  }

  /** Comma-separated topology ids. */
  public static Set<AppTopology> topologies(String value) {
    Set<AppTopology> out = EnumSet.noneOf(AppTopology.class);
    list(value).forEach(id -> out.add(AppTopology.fromId(id)));
    return out;
  }

  private static Set<String> list(String value) {
    return Arrays.stream(value.split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .collect(Collectors.toCollection(java.util.LinkedHashSet::new));
  }

  private static boolean bool(String value) {
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "1" -> true;
      case "false", "no", "0" -> false;
      default -> throw new IllegalArgumentException("'" + value + "' is not true or false");
    };
  }

  /** Reads one key at a time, naming key and value in every error. */
  private record Reader(Map<String, String> props) {
    java.util.Optional<String> string(String key) {
      String v = props.get(key);
      return v == null || v.isBlank()
          ? java.util.Optional.empty()
          : java.util.Optional.of(v.trim());
    }

    <T> java.util.Optional<T> parse(String key, Function<String, T> parser) {
      return string(key)
          .map(
              v -> {
                try {
                  return parser.apply(v);
                } catch (IllegalArgumentException e) {
                  throw new IllegalArgumentException(
                      "property " + key + "='" + v + "' is invalid: " + e.getMessage(), e);
                }
              });
    }
  }
}
