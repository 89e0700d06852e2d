package io.expertflow.streams.jobs;

import com.fasterxml.jackson.core.type.TypeReference;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.expertflow.streams.status.CallerTokens;
import io.expertflow.streams.status.JsonResponses;
import io.expertflow.streams.status.JsonSerde;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /v1/jobs/{id}} (one job's figures; 404 when unknown), {@code GET /v1/jobs}
 * (every job, earliest first) as JSON, both with an optional {@code ?tenant=} that hides other
 * tenants' jobs. A job owned by another instance is fetched from it once; a listing gathers this
 * instance's jobs and each other instance's (asked with the forwarding header, so they answer from
 * their own stores only). 503 with {@code Retry-After} while a store cannot answer. {@code GET
 * /v1/jobs/{id}/export} goes to the {@link Export} given, if any. Thread-safe.
 */
public final class JobsHttpHandler implements HttpHandler {
  /** The path of the listing; a job id follows it after a slash, URL-encoded. */
  public static final String PATH = "/v1/jobs";

  /** Header on calls from another instance (same header as the request-status API). */
  public static final String FORWARDED_HEADER = "X-Expertflow-Forwarded";

  private static final Logger LOG = LoggerFactory.getLogger(JobsHttpHandler.class);

  /** The last path segment of a job's export: {@code /v1/jobs/{id}/export}. */
  public static final String EXPORT_SUFFIX = "/export";

  private final Supplier<JobLookup> lookup;
  private final Duration forwardTimeout;
  private final HttpClient client;
  private final Export export;

  /** Answers {@code GET /v1/jobs/{id}/export} on the exchange (which the caller closes). */
  @FunctionalInterface
  public interface Export {
    void handle(HttpExchange exchange, String jobId) throws IOException;
  }

  /**
   * @param lookup the current lookup, or null while the job application starts
   */
  public JobsHttpHandler(Supplier<JobLookup> lookup, Duration forwardTimeout) {
    this(lookup, forwardTimeout, null);
  }

  /**
   * @param lookup the current lookup, or null while the job application starts
   * @param export serves a job's export, or null when there is none (404)
   */
  public JobsHttpHandler(Supplier<JobLookup> lookup, Duration forwardTimeout, Export export) {
    this.lookup = lookup;
    this.forwardTimeout = forwardTimeout;
    this.client = HttpClient.newBuilder().connectTimeout(forwardTimeout).build();
    this.export = export;
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())) {
        exchange.getResponseHeaders().add("Allow", "GET");
        send(exchange, 405, error("method not allowed; use GET", null));
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      if (path.endsWith(EXPORT_SUFFIX)
          && path.length() > PATH.length() + 1 + EXPORT_SUFFIX.length()) {
        String id = path.substring(PATH.length() + 1, path.length() - EXPORT_SUFFIX.length());
        if (export == null || id.isEmpty() || id.contains("/")) {
          send(exchange, 404, error("no export here; expected " + PATH + "/{job id}/export", null));
        } else {
          String jobId = URLDecoder.decode(id, StandardCharsets.UTF_8);
          if (mayExport(exchange, jobId)) {
            export.handle(exchange, jobId);
          }
        }
        return;
      }
      JobLookup jobs = lookup.get();
      if (jobs == null) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        send(exchange, 503, error("the job application is starting", null));
        return;
      }
      String rest = exchange.getRequestURI().getRawPath().substring(PATH.length());
      String tenant = tenant(exchange.getRequestURI().getRawQuery());
      String caller = CallerTokens.callerTenant(exchange);
      if (caller != null && !CallerTokens.ALL_TENANTS.equals(caller)) {
        tenant = caller; // an authenticated tenant sees its own jobs only, whatever it asks
      }
      boolean forwarded = exchange.getRequestHeaders().containsKey(FORWARDED_HEADER);
      if (rest.isEmpty() || rest.equals("/")) {
        list(exchange, jobs, tenant, forwarded);
      } else if (rest.startsWith("/") && !rest.substring(1).contains("/")) {
        one(exchange, jobs, URLDecoder.decode(rest.substring(1), StandardCharsets.UTF_8), tenant);
      } else {
        send(exchange, 400, error("expected " + PATH + " or " + PATH + "/{job id}", null));
      }
    } catch (RuntimeException e) {
      LOG.error("job API failed on {}", exchange.getRequestURI().getRawPath(), e);
    }
  }

  /**
   * Whether the caller may export {@code jobId}: always without authentication or for an operator;
   * else only a job of the caller's tenant, asked of the instance that holds it (which checks the
   * token again). Answers the exchange (404, 503) when not.
   */
  private boolean mayExport(HttpExchange exchange, String jobId) throws IOException {
    String caller = CallerTokens.callerTenant(exchange);
    if (caller == null || CallerTokens.ALL_TENANTS.equals(caller)) {
      return true;
    }
    JobLookup jobs = lookup.get();
    JobLookup.Result result = jobs == null ? null : jobs.find(jobId);
    if (result == null || result instanceof JobLookup.Unavailable) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      send(exchange, 503, error("the job store is not ready; retry shortly", jobId));
      return false;
    }
    boolean allowed = false;
    if (result instanceof JobLookup.Found found) {
      allowed = caller.equals(found.job().tenant());
    } else if (result instanceof JobLookup.Elsewhere owner) {
      URI target =
          URI.create(
              "http://"
                  + owner.host()
                  + ":"
                  + owner.port()
                  + PATH
                  + "/"
                  + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20"));
      allowed = get(target, exchange).statusCode() == 200;
    }
    if (!allowed) {
      send(exchange, 404, error("unknown job", jobId));
    }
    return allowed;
  }

  private void one(HttpExchange exchange, JobLookup jobs, String id, String tenant)
      throws IOException {
    JobLookup.Result result = jobs.find(id);
    if (result instanceof JobLookup.Found found
        && (tenant == null || tenant.equals(found.job().tenant()))) {
      send(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(found.job()));
    } else if (result instanceof JobLookup.Elsewhere owner) {
      if (exchange.getRequestHeaders().containsKey(FORWARDED_HEADER)) {
        exchange.getResponseHeaders().add("Retry-After", "1");
        send(exchange, 503, error("instances disagree on the owner of this job", id));
        return;
      }
      String query = exchange.getRequestURI().getRawQuery();
      URI target =
          URI.create(
              "http://"
                  + owner.host()
                  + ":"
                  + owner.port()
                  + PATH
                  + "/"
                  + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20")
                  + (query == null ? "" : "?" + query));
      try {
        HttpResponse<byte[]> response = get(target, exchange);
        send(exchange, response.statusCode(), response.body());
      } catch (IOException e) {
        send(exchange, 502, error("the owning instance did not answer: " + e.getMessage(), id));
      }
    } else if (result instanceof JobLookup.Unavailable unavailable) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      send(exchange, 503, error(unavailable.reason(), id));
    } else {
      send(exchange, 404, error("unknown job", id));
    }
  }

  private void list(HttpExchange exchange, JobLookup jobs, String tenant, boolean forwarded)
      throws IOException {
    JobLookup.Local local = jobs.local();
    if (local instanceof JobLookup.Unavailable unavailable) {
      exchange.getResponseHeaders().add("Retry-After", "1");
      send(exchange, 503, error(unavailable.reason(), null));
      return;
    }
    List<JobCounts> all = new ArrayList<>(((JobLookup.Listed) local).jobs());
    if (!forwarded) {
      for (String other : jobs.others()) {
        try {
          HttpResponse<byte[]> response = get(URI.create(other + PATH), exchange);
          if (response.statusCode() != 200) {
            exchange.getResponseHeaders().add("Retry-After", "1");
            send(exchange, 503, error(other + " could not list its jobs now", null));
            return;
          }
          Map<String, List<JobCounts>> body =
              JsonSerde.MAPPER.readValue(response.body(), new TypeReference<>() {});
          all.addAll(body.getOrDefault("jobs", List.of()));
        } catch (IOException e) {
          send(exchange, 502, error(other + " did not answer: " + e.getMessage(), null));
          return;
        }
      }
    }
    List<JobCounts> shown =
        all.stream()
            .filter(j -> tenant == null || tenant.equals(j.tenant()))
            .sorted(
                Comparator.comparing(
                        (JobCounts j) -> Objects.requireNonNullElse(j.firstSubmittedAt(), 0L))
                    .thenComparing(JobCounts::jobId))
            .toList();
    send(exchange, 200, JsonSerde.MAPPER.writeValueAsBytes(Map.of("jobs", shown)));
  }

  private HttpResponse<byte[]> get(URI target, HttpExchange caller) throws IOException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(forwardTimeout).header(FORWARDED_HEADER, "1").GET();
    // the other instance checks the caller's token as this one did
    String authorization = caller.getRequestHeaders().getFirst("Authorization");
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    try {
      return client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while asking " + target.getAuthority(), e);
    }
  }

  /** The {@code tenant} query parameter, or null. */
  static String tenant(String rawQuery) {
    if (rawQuery == null) {
      return null;
    }
    for (String part : rawQuery.split("&")) {
      if (part.startsWith("tenant=")) {
        String value = URLDecoder.decode(part.substring(7), StandardCharsets.UTF_8);
        return value.isEmpty() ? null : value;
      }
    }
    return null;
  }

  private static byte[] error(String message, String jobId) throws IOException {
    return JsonResponses.error(message, "job_id", jobId);
  }

  private static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    JsonResponses.send(exchange, status, body);
  }
}
