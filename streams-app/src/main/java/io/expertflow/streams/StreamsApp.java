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
import io.expertflow.streams.console.JobExportHandler;
import io.expertflow.streams.console.VersionRollbacks;
import io.expertflow.streams.jobs.JobLookup;
import io.expertflow.streams.jobs.JobsHttpHandler;
import io.expertflow.streams.jobs.KafkaStreamsJobLookup;
import io.expertflow.streams.memory.SimilarHandler;
import io.expertflow.streams.review.ReviewDecisionWriter;
import io.expertflow.streams.review.ReviewQueue;
import io.expertflow.streams.status.CallerTokens;
import io.expertflow.streams.status.KafkaStreamsStatusLookup;
import io.expertflow.streams.status.RequestStatusServer;
import io.expertflow.streams.status.StatusLookup;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the enabled topologies, one {@link KafkaStreams} each (own application id, so each scales
 * and fails on its own), plus the HTTP API (request status, jobs, the console under {@code
 * /console/}) when the status, job or review topology runs. A thread that dies of an unexpected
 * error is replaced (exactly-once replays its uncommitted work). {@link #start} and {@link #close}
 * may be called from any thread; close is idempotent.
 */
public final class StreamsApp implements AutoCloseable {
  /** How long close waits for each KafkaStreams to finish. */
  public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private static final Logger LOG = LoggerFactory.getLogger(StreamsApp.class);

  private final Map<AppTopology, KafkaStreams> streams;
  private final RequestStatusServer server;
  private final SchemaRegistryClient ownedRegistry;
  private final PrometheusMeterRegistry meters;
  private final List<KafkaStreamsMetrics> streamsMetrics;
  private final ReviewDecisionWriter decisions;
  private final FedMemory memory;
  private final Tracing tracing;
  private boolean closed;

  private StreamsApp(
      Map<AppTopology, KafkaStreams> streams,
      RequestStatusServer server,
      SchemaRegistryClient ownedRegistry,
      PrometheusMeterRegistry meters,
      List<KafkaStreamsMetrics> streamsMetrics,
      ReviewDecisionWriter decisions,
      FedMemory memory,
      Tracing tracing) {
    this.tracing = tracing;
    this.decisions = decisions;
    this.memory = memory;
    this.streams = Collections.unmodifiableMap(streams);
    this.server = server;
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
    AtomicReference<StatusLookup> lookup = new AtomicReference<>();
    AtomicReference<JobLookup> jobLookup = new AtomicReference<>();
    RequestStatusServer server = null;
    Optional<String> applicationServer = Optional.empty();
    AtomicReference<ReviewQueue> reviewQueue = new AtomicReference<>();
    ReviewDecisionWriter decisions = null;
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
    if (config.httpEnabled() && queryable) {
      server = bindServer(config, lookup);
      Map<String, Object> clients = clientProperties(config);
      server.addHandler(
          JobsHttpHandler.PATH,
          new JobsHttpHandler(
              jobLookup::get,
              RequestStatusServer.DEFAULT_FORWARD_TIMEOUT,
              new JobExportHandler(clients, registry, config.topics(), EXPORT_SCAN_TIMEOUT)
                  ::handle));
      decisions =
          new ReviewDecisionWriter(
              clients,
              config.applicationId() + "-review-console-" + config.instanceId(),
              registry,
              config.topics(),
              Clock.systemUTC());
      server.addHandler(
          ConsoleHandler.PATH,
          ConsoleHandler.create(
              jobLookup::get,
              reviewQueue::get,
              decisions,
              clients,
              registry,
              config.topics(),
              RequestStatusServer.DEFAULT_FORWARD_TIMEOUT,
              memory == null ? id -> List.of() : id -> SimilarHandler.evidence(memory, id, 5),
              server.tokens(),
              rollbacks));
      if (memory != null) {
        FedMemory fed = memory;
        server.addHandler(
            SimilarHandler.PATH,
            new SimilarHandler(
                fed.memory(),
                fed::ready,
                config.memory().neighbours(),
                config.memory().fusion().nearDuplicateThreshold()));
      }
      applicationServer = Optional.of(config.advertisedHost() + ":" + server.port());
    }
    Map<AppTopology, KafkaStreams> running = new EnumMap<>(AppTopology.class);
    for (AppTopology topology : config.topologies()) {
      KafkaStreams kafkaStreams =
          new KafkaStreams(
              topology.build(config, registry, rules, sealer, tracing),
              StreamsProperties.of(
                  config,
                  topology,
                  registry,
                  topology == AppTopology.STATUS
                          || topology == AppTopology.JOBS
                          || topology == AppTopology.REVIEW
                      ? applicationServer
                      : Optional.empty()));
      kafkaStreams.setUncaughtExceptionHandler(
          e -> {
            LOG.error("{} stream thread died; replacing it", topology.id(), e);
            return StreamThreadExceptionResponse.REPLACE_THREAD;
          });
      running.put(topology, kafkaStreams);
    }
    if (server != null) {
      HostInfo self = new HostInfo(config.advertisedHost(), server.port());
      if (running.containsKey(AppTopology.STATUS)) {
        lookup.set(new KafkaStreamsStatusLookup(running.get(AppTopology.STATUS), self));
      } else {
        lookup.set(id -> new StatusLookup.Unavailable("the status topology does not run here"));
      }
      if (running.containsKey(AppTopology.JOBS)) {
        jobLookup.set(new KafkaStreamsJobLookup(running.get(AppTopology.JOBS), self));
      }
      if (running.containsKey(AppTopology.REVIEW)) {
        reviewQueue.set(new ReviewQueue(running.get(AppTopology.REVIEW), self));
      }
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
    if (server != null) {
      Map<AppTopology, KafkaStreams> all = Map.copyOf(running);
      server.serveProbes(() -> alive(all), () -> ready(all));
      server.addHandler(
          "/metrics",
          exchange -> {
            try (exchange) {
              byte[] body = meters.scrape().getBytes(java.nio.charset.StandardCharsets.UTF_8);
              exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            }
          });
    }
    running.values().forEach(KafkaStreams::start);
    if (server != null) {
      server.start();
      LOG.info(
          "console: http://{}:{}{}/ ({})",
          loopbackHost(config.httpBind()),
          server.port(),
          ConsoleHandler.PATH,
          server.authenticates()
              ? "sign in with an API token"
              : "no tokens file: answers loopback callers only");
    }
    LOG.info(
        "streams app started: topologies {}, topics prefix '{}'",
        running.keySet(),
        config.topics().prefix());
    return new StreamsApp(
        running, server, owned, meters, streamsMetrics, decisions, memory, tracing);
  }

  /** How long the HTTP export may take to read each topic. */
  static final Duration EXPORT_SCAN_TIMEOUT = Duration.ofMinutes(30);

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

  /** The host to print in the console's address: loopback when bound to every interface. */
  private static String loopbackHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty() ? "127.0.0.1" : bind;
  }

  /** The console's address (loopback), when the HTTP server runs. */
  public Optional<String> consoleUrl() {
    return server == null
        ? Optional.empty()
        : Optional.of("http://127.0.0.1:" + server.port() + ConsoleHandler.PATH + "/");
  }

  private static RequestStatusServer bindServer(
      StreamsAppConfig config, AtomicReference<StatusLookup> lookup) {
    try {
      return new RequestStatusServer(
          new InetSocketAddress(config.httpBind(), config.httpPort()),
          id -> {
            StatusLookup current = lookup.get();
            return current == null
                ? new StatusLookup.Unavailable("the status application is starting")
                : current.find(id);
          },
          RequestStatusServer.DEFAULT_FORWARD_TIMEOUT,
          config.httpTokensFile().map(CallerTokens::load).orElse(CallerTokens.none()));
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot bind the status API to "
              + config.httpBind()
              + ":"
              + config.httpPort()
              + "; choose another http port",
          e);
    }
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
    return server == null ? OptionalInt.empty() : OptionalInt.of(server.port());
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
    if (server != null) {
      server.close();
    }
    if (decisions != null) {
      decisions.close();
    }
    if (memory != null) {
      memory.close();
    }
    streams.values().forEach(s -> s.close(DEFAULT_CLOSE_TIMEOUT));
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
