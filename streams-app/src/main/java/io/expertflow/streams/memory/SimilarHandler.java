package io.expertflow.streams.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.expertflow.memory.DocumentMemory;
import io.expertflow.memory.MemoryEntry;
import io.expertflow.memory.Neighbour;
import io.expertflow.memory.feed.FedMemory;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.streams.status.CallerTokens;
import io.expertflow.streams.status.JsonResponses;
import io.expertflow.streams.status.JsonSerde;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /v1/similar}: the earlier documents nearest to one, from this instance's document memory.
 *
 * <ul>
 *   <li>{@code GET /v1/similar/{requestId}[?k=10]}: the neighbours of an answered document, itself
 *       left out. A request the memory does not hold, or another tenant's, is 404 alike, so ids
 *       cannot be probed across tenants.
 *   <li>{@code POST /v1/similar} with {@code {"embedding": [...], "tenant": "...", "k": 10,
 *       "encoder_id": "..."}}: the neighbours of a vector (an L2-normalised embedding; {@code
 *       expertflow similar --text} computes it). The tenant is the caller's when tokens are on.
 *       With {@code encoder_id} only documents of that encoder (and those answered before responses
 *       named one) are compared with it; without, every document of the tenant is.
 * </ul>
 *
 * A document's neighbours are only documents of its own encoder (and of none recorded): two
 * encoders of the same width make vectors whose cosine means nothing.
 *
 * <p>Every instance holds the whole memory (its feed reads every partition), so nothing is
 * forwarded. While the feed has not caught up with the topic the answer is 503 with {@code
 * Retry-After}. Thread-safe: queries run on the server's pool while the feed writes.
 */
public final class SimilarHandler implements HttpHandler {
  public static final String PATH = "/v1/similar";
  static final int MAX_K = 100;
  static final int MAX_BODY_BYTES = 1 << 20;
  private static final Logger LOG = LoggerFactory.getLogger(SimilarHandler.class);

  private final DocumentMemory memory;
  private final BooleanSupplier caughtUp;
  private final int defaultK;
  private final double nearDuplicateThreshold;

  public SimilarHandler(
      DocumentMemory memory, BooleanSupplier caughtUp, int defaultK, double nearDuplicate) {
    this.memory = memory;
    this.caughtUp = caughtUp;
    this.defaultK = defaultK;
    this.nearDuplicateThreshold = nearDuplicate;
  }

  /**
   * The {@code k} nearest earlier documents of {@code requestId}'s tenant, itself left out: the
   * console's evidence beside a review item. Empty when the memory does not hold the request, has
   * not caught up, or the lookup fails (logged).
   */
  public static List<Neighbour> evidence(FedMemory memory, String requestId, int k) {
    if (!memory.ready()) {
      return List.of();
    }
    try {
      Optional<MemoryEntry> entry = memory.memory().get(requestId);
      if (entry.isEmpty()) {
        return List.of();
      }
      return neighboursOf(memory.memory(), entry.get(), k);
    } catch (IOException | RuntimeException e) {
      LOG.warn("document memory lookup for the console failed: {}", e.toString());
      return List.of();
    }
  }

  /**
   * What {@code /v1/similar} answers where the memory is off: 501 with a JSON error saying how to
   * turn it on, rather than the HTTP server's bare HTML 404 for a path it does not serve.
   */
  public static HttpHandler memoryOff() {
    return exchange -> {
      try (exchange) {
        send(
            exchange,
            501,
            error(
                "the document memory is off on this instance: start the streams app with"
                    + " memory.enabled=true to serve "
                    + PATH,
                null));
      }
    };
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String method = exchange.getRequestMethod();
      String rest = exchange.getRequestURI().getRawPath().substring(PATH.length());
      if (!caughtUp.getAsBoolean()) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        send(exchange, 503, error("the document memory is still reading its topic", null));
      } else if ("GET".equals(method) && rest.startsWith("/") && rest.length() > 1) {
        String raw = rest.substring(1);
        if (raw.contains("/")) {
          send(exchange, 400, error("expected " + PATH + "/{request id}", null));
          return;
        }
        byRequest(exchange, URLDecoder.decode(raw, StandardCharsets.UTF_8));
      } else if ("POST".equals(method) && (rest.isEmpty() || rest.equals("/"))) {
        byVector(exchange);
      } else {
        exchange.getResponseHeaders().add("Allow", "GET, POST");
        send(
            exchange,
            405,
            error(
                "use GET " + PATH + "/{request id} or POST " + PATH + " with an embedding", null));
      }
    } catch (RuntimeException e) {
      LOG.error("similar-documents API failed on {}", exchange.getRequestURI().getRawPath(), e);
    }
  }

  private void byRequest(HttpExchange exchange, String requestId) throws IOException {
    int k;
    try {
      k = k(query(exchange, "k").map(SimilarHandler::wholeK).orElse(defaultK));
    } catch (IllegalArgumentException e) {
      send(exchange, 400, error(e.getMessage(), requestId));
      return;
    }
    Optional<MemoryEntry> entry = memory.get(requestId);
    if (entry.isEmpty()
        || !CallerTokens.mayRead(CallerTokens.callerTenant(exchange), entry.get().tenant())) {
      send(
          exchange,
          404,
          error(
              "unknown request: the memory holds no answered document of yours with this id"
                  + " (never answered OK, forgotten, or past retention)",
              requestId));
      return;
    }
    MemoryEntry e = entry.get();
    List<Neighbour> near = neighboursOf(memory, e, k);
    ObjectNode body = JsonSerde.MAPPER.createObjectNode();
    body.put("request_id", requestId)
        .put("tenant", e.tenant())
        .put("predicted_label", e.predictedLabel())
        .put("corrected_label", e.correctedLabel())
        .put("answered_at", e.timestamp().toString())
        .put("encoder_id", e.encoder());
    body.set("neighbours", neighbours(near));
    send(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(body));
  }

  private void byVector(HttpExchange exchange) throws IOException {
    JsonNode request;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
      if (bytes.length > MAX_BODY_BYTES) {
        send(exchange, 413, error("the body is over " + MAX_BODY_BYTES + " bytes", null));
        return;
      }
      request = JsonSerde.MAPPER.readTree(bytes);
    } catch (IOException e) {
      send(exchange, 400, error("the body is not JSON: " + ErrorText.of(e), null));
      return;
    }
    VectorQuery query;
    try {
      query = VectorQuery.parse(request, CallerTokens.callerTenant(exchange), defaultK);
    } catch (VectorQuery.Refused e) {
      send(exchange, e.status, error(e.getMessage(), null));
      return;
    }
    List<Neighbour> near;
    try {
      near = memory.nearest(query.tenant(), query.encoder(), query.embedding(), query.k());
    } catch (IllegalArgumentException e) {
      // another size than the memory's, or not of unit length
      send(exchange, 400, error(e.getMessage(), null));
      return;
    }
    ObjectNode body = JsonSerde.MAPPER.createObjectNode().put("tenant", query.tenant());
    body.set("neighbours", neighbours(near));
    send(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(body));
  }

  /** The {@code k} entries of {@code e}'s tenant nearest to it, itself left out. */
  private static List<Neighbour> neighboursOf(DocumentMemory memory, MemoryEntry e, int k)
      throws IOException {
    List<Neighbour> near =
        new ArrayList<>(memory.nearest(e.tenant(), e.encoder(), e.embedding(), k + 1));
    near.removeIf(n -> n.requestId().equals(e.requestId()));
    return near.subList(0, Math.min(k, near.size()));
  }

  private ArrayNode neighbours(List<Neighbour> near) {
    ArrayNode out = JsonSerde.MAPPER.createArrayNode();
    for (Neighbour n : near) {
      out.addObject()
          .put("request_id", n.requestId())
          .put("similarity", Math.round(n.similarity() * 10_000) / 10_000.0)
          .put("label", n.label())
          .put("predicted_label", n.predictedLabel())
          .put("corrected_label", n.correctedLabel())
          .put("answered_at", n.timestamp().toString())
          .put("near_duplicate", n.similarity() >= nearDuplicateThreshold);
    }
    return out;
  }

  private static int wholeK(String given) {
    try {
      return Integer.parseInt(given.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("k must be a whole number between 1 and " + MAX_K);
    }
  }

  static int k(int k) {
    if (k < 1 || k > MAX_K) {
      throw new IllegalArgumentException("k must be between 1 and " + MAX_K + ", was " + k);
    }
    return k;
  }

  private static Optional<String> query(HttpExchange exchange, String name) {
    String q = exchange.getRequestURI().getRawQuery();
    if (q == null) {
      return Optional.empty();
    }
    for (String pair : q.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return Optional.empty();
  }

  private static byte[] error(String message, String requestId) throws IOException {
    return JsonResponses.error(message, "request_id", requestId);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    JsonResponses.send(exchange, status, body);
  }
}
