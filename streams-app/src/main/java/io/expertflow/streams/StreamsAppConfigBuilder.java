package io.expertflow.streams;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.memory.feed.MemorySettings;
import io.expertflow.schemas.settings.HostName;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.feedback.FeedbackConfig;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.stats.StatsConfig;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Builds a {@link StreamsAppConfig}; every setting starts at its default. Not thread-safe. */
public final class StreamsAppConfigBuilder {
  String bootstrapServers = StreamsAppConfig.DEFAULT_BOOTSTRAP_SERVERS;
  String schemaRegistryUrl = StreamsAppConfig.DEFAULT_SCHEMA_REGISTRY_URL;
  String applicationId = StreamsAppConfig.DEFAULT_APPLICATION_ID;
  String topicPrefix = TopicNames.DEFAULT_PREFIX;
  Path stateDir = StreamsAppConfig.DEFAULT_STATE_DIR;
  int streamThreads = StreamsAppConfig.DEFAULT_STREAM_THREADS;
  long commitIntervalMs = StreamsAppConfig.DEFAULT_COMMIT_INTERVAL_MS;
  String instanceId = HostName.orElse("streams-app");
  Set<AppTopology> topologies = StreamsAppConfig.DEFAULT_TOPOLOGIES;
  IntakeConfig intake = IntakeConfig.defaults();
  Path rulesFile;
  Path auditSigningKeyFile;
  Path httpTokensFile;
  MemorySettings memory = MemorySettings.disabled();
  boolean staticMembership;
  String auditSigningKey;
  ComplianceDecision defaultDecision = StreamsAppConfig.DEFAULT_DECISION;
  FeedbackConfig feedback = FeedbackConfig.defaults();
  StatsConfig stats = StatsConfig.defaults();
  boolean httpEnabled = StreamsAppConfig.DEFAULT_HTTP_ENABLED;
  String httpBind = StreamsAppConfig.DEFAULT_HTTP_BIND;
  int httpPort = StreamsAppConfig.DEFAULT_HTTP_PORT;
  String advertisedHost = StreamsAppConfig.DEFAULT_ADVERTISED_HOST;
  final Map<String, String> streamsOverrides = new LinkedHashMap<>();

  StreamsAppConfigBuilder() {}

  public StreamsAppConfigBuilder bootstrapServers(String value) {
    bootstrapServers = value;
    return this;
  }

  public StreamsAppConfigBuilder schemaRegistryUrl(String value) {
    schemaRegistryUrl = value;
    return this;
  }

  public StreamsAppConfigBuilder applicationId(String value) {
    applicationId = value;
    return this;
  }

  public StreamsAppConfigBuilder topicPrefix(String value) {
    topicPrefix = value;
    return this;
  }

  public StreamsAppConfigBuilder stateDir(Path value) {
    stateDir = value;
    return this;
  }

  public StreamsAppConfigBuilder streamThreads(int value) {
    streamThreads = value;
    return this;
  }

  public StreamsAppConfigBuilder commitIntervalMs(long value) {
    commitIntervalMs = value;
    return this;
  }

  public StreamsAppConfigBuilder instanceId(String value) {
    instanceId = value;
    return this;
  }

  public StreamsAppConfigBuilder topologies(Set<AppTopology> value) {
    topologies = value;
    return this;
  }

  public StreamsAppConfigBuilder intake(IntakeConfig value) {
    intake = value;
    return this;
  }

  /** YAML rule file; without one every response gets the default decision. */
  /** The audit signing key's file (PKCS#8 PEM or raw 32-byte seed); null: none. */
  /** The bearer tokens of the HTTP API ({@code tenant:sha256} lines); null: no authentication. */
  /** Whether each topology joins its group as a static member ({@code static.membership}). */
  public StreamsAppConfigBuilder staticMembership(boolean value) {
    staticMembership = value;
    return this;
  }

  /** The document memory's settings ({@code memory.*}). */
  public StreamsAppConfigBuilder memory(MemorySettings value) {
    memory = java.util.Objects.requireNonNull(value, "memory");
    return this;
  }

  public StreamsAppConfigBuilder httpTokensFile(Path value) {
    httpTokensFile = value;
    return this;
  }

  public StreamsAppConfigBuilder auditSigningKeyFile(Path value) {
    auditSigningKeyFile = value;
    return this;
  }

  /** The audit signing key itself (PEM or base64), as the environment gives it; null: none. */
  public StreamsAppConfigBuilder auditSigningKey(String value) {
    auditSigningKey = value;
    return this;
  }

  public StreamsAppConfigBuilder rulesFile(Path value) {
    rulesFile = value;
    return this;
  }

  public StreamsAppConfigBuilder defaultDecision(ComplianceDecision value) {
    defaultDecision = value;
    return this;
  }

  public StreamsAppConfigBuilder feedback(FeedbackConfig value) {
    feedback = value;
    return this;
  }

  public StreamsAppConfigBuilder stats(StatsConfig value) {
    stats = value;
    return this;
  }

  public StreamsAppConfigBuilder httpEnabled(boolean value) {
    httpEnabled = value;
    return this;
  }

  public StreamsAppConfigBuilder httpBind(String value) {
    httpBind = value;
    return this;
  }

  /** Port of the status API; 0 picks a free port. */
  public StreamsAppConfigBuilder httpPort(int value) {
    httpPort = value;
    return this;
  }

  /** Host other instances reach this one at (Kafka Streams {@code application.server}). */
  public StreamsAppConfigBuilder advertisedHost(String value) {
    advertisedHost = value;
    return this;
  }

  /** A Kafka Streams property passed through unchanged, e.g. {@code replication.factor}. */
  public StreamsAppConfigBuilder streamsOverride(String key, String value) {
    streamsOverrides.put(key, value);
    return this;
  }

  /**
   * @throws IllegalArgumentException naming the first invalid setting
   */
  public StreamsAppConfig build() {
    return new StreamsAppConfig(this);
  }
}
