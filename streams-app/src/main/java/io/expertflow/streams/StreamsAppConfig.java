package io.expertflow.streams;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.feedback.FeedbackConfig;
import io.expertflow.streams.intake.IntakeConfig;
import io.expertflow.streams.stats.StatsConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything the streams app needs, typed and validated when built. The property keys that map onto
 * it are documented in {@link StreamsAppProperties}; the CLI flags map onto the same builder.
 * Immutable.
 */
public final class StreamsAppConfig {
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081";
  public static final String DEFAULT_APPLICATION_ID = "expertflow-streams";
  public static final Path DEFAULT_STATE_DIR =
      Path.of(System.getProperty("java.io.tmpdir"), "expertflow-streams");
  public static final int DEFAULT_STREAM_THREADS = 1;
  public static final long DEFAULT_COMMIT_INTERVAL_MS = 100;
  public static final Set<AppTopology> DEFAULT_TOPOLOGIES = EnumSet.allOf(AppTopology.class);
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
  private final ComplianceDecision defaultDecision;
  private final FeedbackConfig feedback;
  private final StatsConfig stats;
  private final boolean httpEnabled;
  private final String httpBind;
  private final int httpPort;
  private final String advertisedHost;
  private final Map<String, String> streamsOverrides;

  private StreamsAppConfig(Builder b) {
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
    httpBind = requireText(b.httpBind, "http bind address");
    advertisedHost = requireText(b.advertisedHost, "http advertised host");
    httpEnabled = b.httpEnabled;
    streamThreads = b.streamThreads;
    commitIntervalMs = b.commitIntervalMs;
    httpPort = b.httpPort;
    topologies = Set.copyOf(b.topologies);
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

  public static Builder builder() {
    return new Builder();
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

  private static String defaultInstanceId() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "streams-app";
    }
  }

  /** Builds a {@link StreamsAppConfig}; every setting starts at its default. Not thread-safe. */
  public static final class Builder {
    private String bootstrapServers = DEFAULT_BOOTSTRAP_SERVERS;
    private String schemaRegistryUrl = DEFAULT_SCHEMA_REGISTRY_URL;
    private String applicationId = DEFAULT_APPLICATION_ID;
    private String topicPrefix = TopicNames.DEFAULT_PREFIX;
    private Path stateDir = DEFAULT_STATE_DIR;
    private int streamThreads = DEFAULT_STREAM_THREADS;
    private long commitIntervalMs = DEFAULT_COMMIT_INTERVAL_MS;
    private String instanceId = defaultInstanceId();
    private Set<AppTopology> topologies = DEFAULT_TOPOLOGIES;
    private IntakeConfig intake = IntakeConfig.defaults();
    private Path rulesFile;
    private ComplianceDecision defaultDecision = DEFAULT_DECISION;
    private FeedbackConfig feedback = FeedbackConfig.defaults();
    private StatsConfig stats = StatsConfig.defaults();
    private boolean httpEnabled = DEFAULT_HTTP_ENABLED;
    private String httpBind = DEFAULT_HTTP_BIND;
    private int httpPort = DEFAULT_HTTP_PORT;
    private String advertisedHost = DEFAULT_ADVERTISED_HOST;
    private final Map<String, String> streamsOverrides = new LinkedHashMap<>();

    private Builder() {}

    public Builder bootstrapServers(String value) {
      bootstrapServers = value;
      return this;
    }

    public Builder schemaRegistryUrl(String value) {
      schemaRegistryUrl = value;
      return this;
    }

    public Builder applicationId(String value) {
      applicationId = value;
      return this;
    }

    public Builder topicPrefix(String value) {
      topicPrefix = value;
      return this;
    }

    public Builder stateDir(Path value) {
      stateDir = value;
      return this;
    }

    public Builder streamThreads(int value) {
      streamThreads = value;
      return this;
    }

    public Builder commitIntervalMs(long value) {
      commitIntervalMs = value;
      return this;
    }

    public Builder instanceId(String value) {
      instanceId = value;
      return this;
    }

    public Builder topologies(Set<AppTopology> value) {
      topologies = value;
      return this;
    }

    public Builder intake(IntakeConfig value) {
      intake = value;
      return this;
    }

    /** YAML rule file; without one every response gets the default decision. */
    public Builder rulesFile(Path value) {
      rulesFile = value;
      return this;
    }

    public Builder defaultDecision(ComplianceDecision value) {
      defaultDecision = value;
      return this;
    }

    public Builder feedback(FeedbackConfig value) {
      feedback = value;
      return this;
    }

    public Builder stats(StatsConfig value) {
      stats = value;
      return this;
    }

    public Builder httpEnabled(boolean value) {
      httpEnabled = value;
      return this;
    }

    public Builder httpBind(String value) {
      httpBind = value;
      return this;
    }

    /** Port of the status API; 0 picks a free port. */
    public Builder httpPort(int value) {
      httpPort = value;
      return this;
    }

    /** Host other instances reach this one at (Kafka Streams {@code application.server}). */
    public Builder advertisedHost(String value) {
      advertisedHost = value;
      return this;
    }

    /** A Kafka Streams property passed through unchanged, e.g. {@code replication.factor}. */
    public Builder streamsOverride(String key, String value) {
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
}
