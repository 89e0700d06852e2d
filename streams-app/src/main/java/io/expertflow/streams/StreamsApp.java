package io.expertflow.streams;

import io.expertflow.memory.feed.FedMemory;
import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.operators.compliance.ComplianceRulesParser;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.streams.compliance.AuditSigning;
import io.expertflow.streams.console.ConsoleHandler;
import io.expertflow.streams.console.VersionRollbacks;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled topologies, one {@link KafkaStreams} each (own application id, so each scales
 * and fails on its own), plus the HTTP API (request status, jobs, the console under {@code
 * /console/}, {@link StreamsHttpApi}) when the status, job or review topology runs. A thread that
 * dies of an unexpected error is replaced (exactly-once replays its uncommitted work). {@link
 * #start} and {@link #close} may be called from any thread; close is idempotent.
 */
public final class StreamsApp implements AutoCloseable {
  /** How long close waits for each KafkaStreams to finish. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final Map<AppTopology, KafkaStreams> streams;
  private final StreamsHttpApi http;
  private final SchemaRegistryClient ownedRegistry;
  private final PrometheusMeterRegistry meters;
  private final List<KafkaStreamsMetrics> streamsMetrics;
  private final FedMemory memory;
  private final Tracing tracing;
  private boolean closed;

  private StreamsApp(
      Map<AppTopology, KafkaStreams> streams,
      StreamsHttpApi http,
      SchemaRegistryClient ownedRegistry,
      PrometheusMeterRegistry meters,
      List<KafkaStreamsMetrics> streamsMetrics,
      FedMemory memory,
      Tracing tracing) {
    this.tracing = tracing;
    this.memory = memory;
    this.streams = Collections.unmodifiableMap(streams);
    this.http = http;
    this.ownedRegistry = ownedRegistry;
    this.meters = meters;
    this.streamsMetrics = streamsMetrics;
  }

  /** Starts the app against the configured schema registry. */
  public static StreamsApp start(StreamsAppConfig config) {
    SchemaRegistryClient registry =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.builder().url(config.schemaRegistryUrl()).build());
    return start(config, registry, registry, null);
  }

  /**
   * Starts the app against the configured schema registry; the console's operators roll models back
   * with {@code rollbacks}.
   */
  public static StreamsApp start(StreamsAppConfig config, VersionRollbacks rollbacks) {
    SchemaRegistryClient registry =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.builder().url(config.schemaRegistryUrl()).build());
    return start(config, registry, registry, rollbacks);
  }

  /** Starts the app with a given registry client (which the caller closes). */
  public static StreamsApp start(StreamsAppConfig config, SchemaRegistryClient registry) {
    return start(config, registry, null, null);
  }

  /** As {@link #start(StreamsAppConfig, SchemaRegistryClient)}, with console rollbacks. */
  public static StreamsApp start(
      StreamsAppConfig config, SchemaRegistryClient registry, VersionRollbacks rollbacks) {
    return start(config, registry, null, rollbacks);
  }

  private static StreamsApp start(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      SchemaRegistryClient owned,
      VersionRollbacks rollbacks) {
    ComplianceRules rules =
        config
            .rulesFile()
            .map(ComplianceRulesParser::load)
            .orElseGet(() -> ComplianceRules.none(config.defaultDecision()));
    Optional<AuditSealer> sealer =
        config.topologies().contains(AppTopology.COMPLIANCE)
            ? AuditSigning.load(config.auditSigningKeyFile(), config.auditSigningKey())
            : Optional.empty();
    Tracing tracing = Tracing.fromEnvironment("streams");
    boolean queryable =
        config.topologies().contains(AppTopology.STATUS)
            || config.topologies().contains(AppTopology.JOBS)
            || config.topologies().contains(AppTopology.REVIEW);
    FedMemory memory =
        config.httpEnabled() && queryable && config.memory().enabled()
            ? FedMemory.open(
                config.memory(),
                config.memory().dimension(),
                config.applicationId() + "-memory-" + config.instanceId(),
                config.topics().memory(),
                clientProperties(config),
                registry)
            : null;
    StreamsHttpApi http =
        config.httpEnabled() && queryable
            ? StreamsHttpApi.open(config, registry, memory, rollbacks)
            : null;
    Optional<String> applicationServer =
        http == null ? Optional.empty() : Optional.of(config.advertisedHost() + ":" + http.port());
    Map<AppTopology, KafkaStreams> running;
    try {
      running = TopologyClients.build(config, registry, rules, sealer, tracing, applicationServer);
    } catch (RuntimeException e) {
      if (http != null) {
        http.close();
      }
      if (memory != null) {
        memory.close();
      }
      tracing.close();
      if (owned != null) {
        owned.close();
      }
      throw e;
    }
    if (http != null) {
      http.attach(config, running);
    }
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    List<KafkaStreamsMetrics> streamsMetrics = new ArrayList<>();
    running.forEach(
        (topology, kafkaStreams) -> {
          KafkaStreamsMetrics m =
              new KafkaStreamsMetrics(kafkaStreams, Tags.of("topology", topology.id()));
          m.bindTo(meters);
          streamsMetrics.add(m);
          StreamsMeters.topologyRunning(
              meters, topology.id(), () -> kafkaStreams.state() == KafkaStreams.State.RUNNING);
        });
    Metrics.addRegistry(meters);
    if (http != null) {
      http.serveMetrics(meters);
    }
    running.values().forEach(KafkaStreams::start);
    if (http != null) {
      http.start(config);
    }
    LOG.info(
        "streams app started: topologies {}, topics prefix '{}'",
        running.keySet(),
        config.topics().prefix());
    return new StreamsApp(running, http, owned, meters, streamsMetrics, memory, tracing);
  }

  /**
   * Kafka client settings for the app's own clients (the console's decision writer and readers):
   * the bootstrap servers and the security settings among the Kafka Streams overrides.
   */
  public static Map<String, Object> clientProperties(StreamsAppConfig config) {
    Map<String, Object> props = new HashMap<>();
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, config.bootstrapServers());
    config
        .streamsOverrides()
        .forEach(
            (key, value) -> {
              if (key.startsWith("security.")
                  || key.startsWith("sasl.")
                  || key.startsWith("ssl.")
                  || key.equals(CommonClientConfigs.CLIENT_DNS_LOOKUP_CONFIG)) {
                props.put(key, value);
              }
            });
    return props;
  }

  /** The console's address (loopback), when the HTTP server runs. */
  public Optional<String> consoleUrl() {
    return http == null
        ? Optional.empty()
        : Optional.of("http://127.0.0.1:" + http.port() + ConsoleHandler.PATH + "/");
  }

  /**
   * Alive unless a topology has failed for good (ERROR, or on its way there): a thread that dies is
   * replaced, so only a client that gave up ends here, and only a restart brings it back.
   */
  static boolean alive(Map<AppTopology, KafkaStreams> streams) {
    return streams.values().stream()
        .map(KafkaStreams::state)
        .noneMatch(
            s ->
                s == KafkaStreams.State.ERROR
                    || s == KafkaStreams.State.PENDING_ERROR
                    || s == KafkaStreams.State.NOT_RUNNING);
  }

  /** Ready once every topology is RUNNING (its tasks assigned and restored). */
  static boolean ready(Map<AppTopology, KafkaStreams> streams) {
    return streams.values().stream().allMatch(s -> s.state() == KafkaStreams.State.RUNNING);
  }

  /** The running KafkaStreams of each enabled topology. */
  public Map<AppTopology, KafkaStreams> streams() {
    return streams;
  }

  /** The status API's port, when it runs. */
  public OptionalInt httpPort() {
    return http == null ? OptionalInt.empty() : OptionalInt.of(http.port());
  }

  /** The app's meters (also served on {@code /metrics} with the HTTP API). */
  public PrometheusMeterRegistry meters() {
    return meters;
  }

  /** The document memory behind /v1/similar, when {@code memory.enabled}. */
  public Optional<FedMemory> memory() {
    return Optional.ofNullable(memory);
  }

  /** Whether every topology is RUNNING. */
  public boolean isRunning() {
    return ready(streams);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (http != null) {
      http.close();
    }
    if (memory != null) {
      memory.close();
    }
    // every topology is told to stop at once, then waited for within one timeout: closed one after
    // another, each waited out its own timeout when the broker was gone (7 topologies took 89 s)
    streams.values().forEach(s -> s.close(Duration.ZERO));
    long deadline = System.nanoTime() + DEFAULT_CLOSE_TIMEOUT.toNanos();
    streams
        .values()
        .forEach(s -> s.close(Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    streamsMetrics.forEach(KafkaStreamsMetrics::close);
    Metrics.removeRegistry(meters);
    meters.close();
    if (ownedRegistry != null) {
      ownedRegistry.close();
    }
    tracing.close();
    LOG.info("streams app closed");
  }
}
