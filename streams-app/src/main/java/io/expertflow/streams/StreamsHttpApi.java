package io.expertflow.streams;

import com.sun.net.httpserver.HttpExchange;
import io.expertflow.memory.feed.FedMemory;
import io.expertflow.schemas.registry.SchemaRegistryClient;
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
import io.expertflow.streams.status.JsonResponses;
import io.expertflow.streams.status.KafkaStreamsStatusLookup;
import io.expertflow.streams.status.RequestStatusServer;
import io.expertflow.streams.status.StatusLookup;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams app's HTTP API on one {@link RequestStatusServer}: request status, jobs and their
 * export, the console under {@code /console/}, similar documents, the probes and {@code /metrics}.
 * It is bound before the topologies are built, since they advertise its address for interactive
 * queries; it answers "starting" until {@link #attach} hands it their stores, and serves once
 * {@link #start}ed.
 */
final class StreamsHttpApi implements AutoCloseable {
  /** How long the HTTP export may take to read each topic. */
  static final Duration EXPORT_SCAN_TIMEOUT = Duration.ofMinutes(30);

  private static final Logger LOG = LoggerFactory.getLogger(StreamsHttpApi.class);

  private final RequestStatusServer server;
  private final ReviewDecisionWriter decisions;
  private final AtomicReference<StatusLookup> lookup;
  private final AtomicReference<JobLookup> jobLookup = new AtomicReference<>();
  private final AtomicReference<ReviewQueue> reviewQueue = new AtomicReference<>();

  private StreamsHttpApi(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      FedMemory memory,
      VersionRollbacks rollbacks,
      AtomicReference<StatusLookup> lookup) {
    this.lookup = lookup;
    this.server = bindServer(config, lookup);
    Map<String, Object> clients = StreamsApp.clientProperties(config);
    server.addHandler(
        JobsHttpHandler.PATH,
        new JobsHttpHandler(
            jobLookup::get,
            RequestStatusServer.DEFAULT_FORWARD_TIMEOUT,
            new JobExportHandler(clients, registry, config.topics(), EXPORT_SCAN_TIMEOUT)::handle));
    this.decisions =
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
    server.addHandler("/", StreamsHttpApi::elsewhere);
    if (memory != null) {
      server.addHandler(
          SimilarHandler.PATH,
          new SimilarHandler(
              memory.memory(),
              memory::ready,
              config.memory().neighbours(),
              config.memory().fusion().nearDuplicateThreshold()));
    } else {
      server.addHandler(SimilarHandler.PATH, SimilarHandler.memoryOff());
    }
  }

  /**
   * What no other path serves: {@code GET /} sends a browser to the console, anything else is a
   * JSON 404 that says where things are (the HTTP server's own answer is an HTML page).
   */
  private static void elsewhere(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getRawPath();
      if (path.equals("/") && "GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().set("Location", ConsoleHandler.PATH + "/");
        exchange.sendResponseHeaders(303, -1);
        return;
      }
      JsonResponses.send(
          exchange,
          404,
          JsonResponses.error(
              "no such path "
                  + path
                  + ": the API answers under /v1/requests/, /v1/jobs and /v1/similar, the console"
                  + " at /console/, probes at /healthz and /readyz, metrics at /metrics",
              null,
              null));
    }
  }

  /**
   * Binds the API and registers its handlers; {@code memory} (may be null) serves similar
   * documents, {@code rollbacks} (may be null) the console's model rollbacks.
   *
   * @throws UncheckedIOException if the address cannot be bound
   */
  static StreamsHttpApi open(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      FedMemory memory,
      VersionRollbacks rollbacks) {
    return new StreamsHttpApi(config, registry, memory, rollbacks, new AtomicReference<>());
  }

  /** The port it is bound to. */
  int port() {
    return server.port();
  }

  /** Hands the API the stores of the topologies that run here. */
  void attach(StreamsAppConfig config, Map<AppTopology, KafkaStreams> running) {
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
    Map<AppTopology, KafkaStreams> all = Map.copyOf(running);
    server.serveProbes(() -> StreamsApp.alive(all), () -> StreamsApp.ready(all));
  }

  /** Serves {@code meters} on {@code /metrics} in the Prometheus text format. */
  void serveMetrics(PrometheusMeterRegistry meters) {
    server.addHandler(
        "/metrics",
        exchange -> {
          try (exchange) {
            byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
          }
        });
  }

  /** Starts serving, and logs the console's address. */
  void start(StreamsAppConfig config) {
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

  /** The host to print in the console's address: loopback when bound to every interface. */
  private static String loopbackHost(String bind) {
    return bind.equals("0.0.0.0") || bind.equals("::") || bind.isEmpty() ? "127.0.0.1" : bind;
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

  /** Stops serving and closes the console's decision writer. */
  @Override
  public void close() {
    server.close();
    decisions.close();
  }
}
