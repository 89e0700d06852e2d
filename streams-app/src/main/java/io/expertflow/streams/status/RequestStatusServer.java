package io.expertflow.streams.status;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpContext;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.expertflow.streams.StreamsMeters;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /v1/requests/{id}} as JSON with the JDK HTTP server: 200 with the status, 404
 * when unknown, 503 while the store cannot answer; a request owned by another instance is forwarded
 * there once (a header marks forwarded calls, so two instances with different views never loop).
 * Requests are handled on a small bounded pool; when it is full the accepting thread runs the
 * handler itself, which slows clients down rather than queueing without bound. {@link #serveProbes}
 * adds {@code /healthz} and {@code /readyz} for Kubernetes probes. Thread-safe.
 */
public final class RequestStatusServer implements AutoCloseable {
  /** The path prefix; the request id follows it, URL-encoded. */
  public static final String PATH = "/v1/requests/";

  /** Header set on calls forwarded from another instance. */
  public static final String FORWARDED_HEADER = "X-Expertflow-Forwarded";

  public static final int DEFAULT_THREADS = 4;
  public static final Duration DEFAULT_FORWARD_TIMEOUT = Duration.ofSeconds(5);

  private static final Logger LOG = LoggerFactory.getLogger(RequestStatusServer.class);

  private final StatusLookup lookup;
  private final Duration forwardTimeout;
  private final HttpServer server;
  private final ThreadPoolExecutor pool;
  private final HttpClient client;
  private final CallerTokens tokens;

  /**
   * Binds (but does not start) the server, without authentication.
   *
   * @param bind address and port to listen on; port 0 picks a free one
   * @throws IOException when the address cannot be bound
   */
  public RequestStatusServer(InetSocketAddress bind, StatusLookup lookup, Duration forwardTimeout)
      throws IOException {
    this(bind, lookup, forwardTimeout, CallerTokens.none());
  }

  /**
   * Binds (but does not start) the server; every path under {@code /v1/} needs a token of {@code
   * tokens} when it has any, and shows a caller only its own tenant's records.
   *
   * @throws IOException when the address cannot be bound
   */
  public RequestStatusServer(
      InetSocketAddress bind, StatusLookup lookup, Duration forwardTimeout, CallerTokens tokens)
      throws IOException {
    this.tokens = tokens;
    this.lookup = lookup;
    this.forwardTimeout = forwardTimeout;
    this.server = HttpServer.create(bind, 64);
    this.pool =
        new ThreadPoolExecutor(
            DEFAULT_THREADS,
            DEFAULT_THREADS,
            30,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(64),
            r -> {
              Thread t = new Thread(r, "request-status-http");
              t.setDaemon(true);
              return t;
            },
            new ThreadPoolExecutor.CallerRunsPolicy());
    this.client = HttpClient.newBuilder().connectTimeout(forwardTimeout).build();
    server.setExecutor(pool);
    authenticated(timed(server.createContext(PATH, this::handle)));
  }

  private HttpContext authenticated(HttpContext context) {
    context.getFilters().add(tokens.filter());
    return context;
  }

  /** Times every exchange of {@code context} ({@link StreamsMeters#httpExchange}). */
  private static HttpContext timed(HttpContext context) {
    String path = context.getPath();
    context
        .getFilters()
        .add(
            new Filter() {
              @Override
              public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
                long start = System.nanoTime();
                try {
                  chain.doFilter(exchange);
                } finally {
                  StreamsMeters.httpExchange(
                      path, exchange.getResponseCode(), System.nanoTime() - start);
                }
              }

              @Override
              public String description() {
                return "timing";
              }
            });
    return context;
  }

  /**
   * Serves {@code /healthz} (200 while {@code live}, else 503: a restart would help) and {@code
   * /readyz} (200 while {@code ready}, else 503: send no traffic yet). Call before {@link #start};
   * both suppliers are called on the server's threads.
   */
  public void serveProbes(BooleanSupplier live, BooleanSupplier ready) {
    server.createContext("/healthz", ex -> probe(ex, live.getAsBoolean(), "ok", "failed"));
    server.createContext("/readyz", ex -> probe(ex, ready.getAsBoolean(), "ready", "not ready"));
  }

  private static void probe(HttpExchange exchange, boolean ok, String yes, String no)
      throws IOException {
    try (exchange) {
      byte[] body = ((ok ? yes : no) + "\n").getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "text/plain");
      exchange.sendResponseHeaders(ok ? 200 : 503, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Serves {@code path} with {@code handler} on the same port and pool; call before start. */
  public void addHandler(String path, com.sun.net.httpserver.HttpHandler handler) {
    HttpContext context = timed(server.createContext(path, handler));
    if (path.startsWith("/v1/")) {
      authenticated(context);
    }
  }

  /** The tokens callers present (none: authentication off). */
  public CallerTokens tokens() {
    return tokens;
  }

  /** Whether callers must present a bearer token. */
  public boolean authenticates() {
    return tokens.enabled();
  }

  public void start() {
    server.start();
    LOG.info(
        "request status API listening on {} ({})",
        server.getAddress(),
        tokens.enabled() ? "bearer tokens required under /v1/" : "no authentication");
    if (openToTheNetwork(server.getAddress(), tokens.enabled())) {
      LOG.warn(
          "the HTTP API on {} answers every caller that can reach port {} without a token: /v1/"
              + " shows every tenant's requests and jobs. Keep the port behind a network policy"
              + " or an authenticating proxy, give tokens (http.auth.tokens.file), or serve this"
              + " machine alone (http.bind=127.0.0.1)",
          server.getAddress(),
          port());
    }
  }

  /** Whether an API without tokens listens beyond this machine's loopback interface. */
  static boolean openToTheNetwork(InetSocketAddress bound, boolean authenticates) {
    return !authenticates && !bound.getAddress().isLoopbackAddress();
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "GET");
        send(exchange, 405, error("method not allowed; use GET", null));
        return;
      }
      String raw = exchange.getRequestURI().getRawPath().substring(PATH.length());
      String id = URLDecoder.decode(raw, StandardCharsets.UTF_8);
      if (id.isEmpty() || raw.contains("/")) {
        send(exchange, 400, error("expected " + PATH + "{request id}", null));
        return;
      }
      StatusLookup.Result result = lookup.find(id);
      if (result instanceof StatusLookup.Found found
          && !CallerTokens.mayRead(CallerTokens.callerTenant(exchange), found.status().tenant())) {
        // another tenant's request answers as an unknown one: its id cannot be probed
        send(exchange, 404, error("unknown request", id));
      } else if (result instanceof StatusLookup.Found found) {
        send(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(found.status()));
      } else if (result instanceof StatusLookup.Elsewhere elsewhere) {
        forward(exchange, id, elsewhere);
      } else if (result instanceof StatusLookup.Unavailable unavailable) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        send(exchange, 503, error(unavailable.reason(), id));
      } else {
        send(exchange, 404, error("unknown request", id));
      }
    } catch (RuntimeException e) {
      LOG.error("request status API failed on {}", exchange.getRequestURI().getRawPath(), e);
    }
  }

  private void forward(HttpExchange exchange, String id, StatusLookup.Elsewhere owner)
      throws IOException {
    if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      send(
          exchange,
          503,
          error("instances disagree on the owner of this request (rebalancing)", id));
      return;
    }
    URI target =
        URI.create(
            "http://"
                + owner.host()
                + ":"
                + owner.port()
                + PATH
                + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(forwardTimeout).header(FORWARDED_HEADER, "1").GET();
    // the owner checks the caller's token as this instance did
    String authorization = exchange.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      HttpResponse<byte[]> response =
          client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      send(exchange, response.statusCode(), response.body());
    } catch (IOException e) {
      send(
          exchange,
          502,
          error(
              "the owning instance "
                  + owner.host()
                  + ":"
                  + owner.port()
                  + " did not answer: "
                  + e.getMessage(),
              id));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      send(exchange, 503, error("interrupted while asking the owning instance", id));
    }
  }

  private static byte[] error(String message, String requestId) throws IOException {
    return JsonResponses.error(message, "request_id", requestId);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    JsonResponses.send(exchange, status, body);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
