package io.expertflow.streams;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.memory.feed.MemorySettings;
import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.feedback.FeedbackConfig;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.stats.StatsConfig;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the streams app needs, typed and validated when built from the keys of {@link
 * StreamsAppProperties}. Immutable.
 */
public final class StreamsAppConfig {
  public static final String DEFAULT_BOOTSTRAP_SERVERS = ConnectionKeys.DEFAULT_BOOTSTRAP_SERVERS;
  public static final String DEFAULT_SCHEMA_REGISTRY_URL =
      ConnectionKeys.DEFAULT_SCHEMA_REGISTRY_URL;
  public static final String DEFAULT_APPLICATION_ID = "expertflow-streams";
  public static final Path DEFAULT_STATE_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "expertflow-streams");
  public static final int DEFAULT_STREAM_THREADS = 1;
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;

  /** Every topology but memory, which {@code memory.enabled} adds. */
  public static final Set<AppTopology> DEFAULT_TOPOLOGIES =
      EnumSet.complementOf(EnumSet.of(AppTopology.MEMORY));

  public static final ComplianceDecision DEFAULT_DECISION = ComplianceDecision.REVIEW;
  public static final boolean DEFAULT_HTTP_ENABLED = true;
  public static final String DEFAULT_HTTP_BIND = "0.0.0.0";
  public static final int DEFAULT_HTTP_PORT = 8090;
  public static final String DEFAULT_ADVERTISED_HOST = "localhost";

  private final String bootstrapServers;
  private final String schemaRegistryUrl;
  private final String applicationId;
  private final TopicNames topics;
  private final Path stateDir;
  private final int streamThreads;
  private final long commitIntervalMs;
  private final String instanceId;
  private final Set<AppTopology> topologies;
  private final IntakeConfig intake;
  private final Path rulesFile;
  private final Path auditSigningKeyFile;
  private final Path httpTokensFile;
  private final MemorySettings memory;
  private final boolean staticMembership;
  private final String auditSigningKey;
  private final ComplianceDecision defaultDecision;
  private final FeedbackConfig feedback;
  private final StatsConfig stats;
  private final boolean httpEnabled;
  private final String httpBind;
  private final int httpPort;
  private final String advertisedHost;
  private final Map<String, String> streamsOverrides;

  StreamsAppConfig(StreamsAppConfigBuilder b) {
    bootstrapServers = requireText(b.bootstrapServers, "bootstrap servers");
    schemaRegistryUrl = requireText(b.schemaRegistryUrl, "schema registry url");
    applicationId = requireText(b.applicationId, "application id");
    topics = new TopicNames(Objects.requireNonNull(b.topicPrefix, "topic prefix"));
    stateDir = Objects.requireNonNull(b.stateDir, "state dir");
    instanceId = requireText(b.instanceId, "instance id");
    intake = Objects.requireNonNull(b.intake, "intake");
    feedback = Objects.requireNonNull(b.feedback, "feedback");
    stats = Objects.requireNonNull(b.stats, "stats");
    defaultDecision = Objects.requireNonNull(b.defaultDecision, "default decision");
    rulesFile = b.rulesFile;
    auditSigningKeyFile = b.auditSigningKeyFile;
    httpTokensFile = b.httpTokensFile;
    memory = b.memory;
    staticMembership = b.staticMembership;
    auditSigningKey =
        b.auditSigningKey == null || b.auditSigningKey.isBlank() ? null : b.auditSigningKey;
    if (auditSigningKeyFile != null && auditSigningKey != null) {
      throw new IllegalArgumentException(
          "audit signing key given twice: audit.signing.key.file ("
              + auditSigningKeyFile
              + ") and audit.signing.key (EXPERTFLOW_AUDIT_SIGNING_KEY); keep one");
    }
    httpBind = requireText(b.httpBind, "http bind address");
    advertisedHost = requireText(b.advertisedHost, "http advertised host");
    httpEnabled = b.httpEnabled;
    streamThreads = b.streamThreads;
    commitIntervalMs = b.commitIntervalMs;
    httpPort = b.httpPort;
    Set<AppTopology> enabled = EnumSet.noneOf(AppTopology.class);
    enabled.addAll(b.topologies);
    if (b.memory.enabled()) {
      enabled.add(AppTopology.MEMORY);
    }
    topologies = Set.copyOf(enabled);
    streamsOverrides = Map.copyOf(b.streamsOverrides);
    if (streamThreads < 1) {
      throw new IllegalArgumentException("stream threads must be >= 1, was " + streamThreads);
    }
    if (commitIntervalMs < 1) {
      throw new IllegalArgumentException(
          "commit interval must be >= 1 ms, was " + commitIntervalMs);
    }
    if (httpPort < 0 || httpPort > 65535) {
      throw new IllegalArgumentException("http port must be in [0, 65535], was " + httpPort);
    }
    if (topologies.isEmpty()) {
      throw new IllegalArgumentException("at least one topology must be enabled");
    }
  }

  public static StreamsAppConfigBuilder builder() {
    return new StreamsAppConfigBuilder();
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public String schemaRegistryUrl() {
    return schemaRegistryUrl;
  }

  public String applicationId() {
    return applicationId;
  }

  public TopicNames topics() {
    return topics;
  }

  public Path stateDir() {
    return stateDir;
  }

  public int streamThreads() {
    return streamThreads;
  }

  public long commitIntervalMs() {
    return commitIntervalMs;
  }

  public String instanceId() {
    return instanceId;
  }

  public Set<AppTopology> topologies() {
    return topologies;
  }

  public IntakeConfig intake() {
    return intake;
  }

  public Optional<Path> rulesFile() {
    return Optional.ofNullable(rulesFile);
  }

  /** The audit signing key's file, when signing is on and the key is in a file. */
  /** The HTTP API's bearer tokens file; empty: callers are not authenticated. */
  /** Whether each topology joins its consumer group as a static member named by the instance id. */
  public boolean staticMembership() {
    return staticMembership;
  }

  /** The document memory: when enabled, the memory topology runs and /v1/similar answers. */
  public MemorySettings memory() {
    return memory;
  }

  public Optional<Path> httpTokensFile() {
    return Optional.ofNullable(httpTokensFile);
  }

  public Optional<Path> auditSigningKeyFile() {
    return Optional.ofNullable(auditSigningKeyFile);
  }

  /** The audit signing key's text, when signing is on and the key came as text. */
  public Optional<String> auditSigningKey() {
    return Optional.ofNullable(auditSigningKey);
  }

  public ComplianceDecision defaultDecision() {
    return defaultDecision;
  }

  public FeedbackConfig feedback() {
    return feedback;
  }

  public StatsConfig stats() {
    return stats;
  }

  public boolean httpEnabled() {
    return httpEnabled;
  }

  public String httpBind() {
    return httpBind;
  }

  public int httpPort() {
    return httpPort;
  }

  public String advertisedHost() {
    return advertisedHost;
  }

  public Map<String, String> streamsOverrides() {
    return streamsOverrides;
  }

  private static String requireText(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be empty");
    }
    return value;
  }
}
