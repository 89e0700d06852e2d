package io.expertflow.cli.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.schemas.errors.ErrorText;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Client of the streams app's job API ({@code GET /v1/jobs}, {@code /v1/jobs/{id}}). */
public final class JobApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final String tenant;
  private final Duration timeout;
  private final HttpClient http;
  private final String token;

  /**
   * @param baseUrl the status API, e.g. {@code http://localhost:8090}
   * @param tenant only this tenant's jobs, or null for all
   */
  public JobApi(String baseUrl, String tenant, Duration timeout) {
    this(baseUrl, tenant, timeout, null);
  }

  /**
   * @param token the bearer token when the API authenticates callers, or null
   */
  public JobApi(String baseUrl, String tenant, Duration timeout, String token) {
    this.token = token;
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.tenant = tenant;
    this.timeout = timeout;
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** What the API answered. */
  public sealed interface Answer permits Found, Unknown, NotReady, Failed {}

  /** The JSON of the job or of the listing. */
  public record Found(JsonNode body) implements Answer {}

  /** No such job (yet). */
  public record Unknown() implements Answer {}

  /** The store is rebalancing or restoring; retry. */
  public record NotReady(String reason) implements Answer {}

  /** The API could not be reached or answered an error. */
  public record Failed(String reason) implements Answer {}

  public Answer job(String jobId) {
    return get("/v1/jobs/" + URLEncoder.encode(jobId, StandardCharsets.UTF_8).replace("+", "%20"));
  }

  public Answer list() {
    return get("/v1/jobs");
  }

  public String baseUrl() {
    return baseUrl;
  }

  private Answer get(String path) {
    String query =
        tenant == null ? "" : "?tenant=" + URLEncoder.encode(tenant, StandardCharsets.UTF_8);
    URI uri = URI.create(baseUrl + path + query);
    try {
      HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).GET();
      if (token != null) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return switch (r.statusCode()) {
        case 200 -> new Found(JSON.readTree(r.body()));
        case 401 ->
            new Failed(
                token == null
                    ? "the API needs a bearer token: pass --token or set EXPERTFLOW_TOKEN"
                    : "the API refused the token (unknown or revoked)");
        case 404 -> new Unknown();
        case 503 -> new NotReady(r.body());
        default -> new Failed("HTTP " + r.statusCode() + ": " + r.body());
      };
    } catch (IOException e) {
      return new Failed(
          "cannot reach "
              + baseUrl
              + " ("
              + ErrorText.of(e)
              + "); is 'expertflow streams' running there? Pass --status-url or set"
              + " EXPERTFLOW_STATUS_URL");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed("interrupted");
    }
  }
}
