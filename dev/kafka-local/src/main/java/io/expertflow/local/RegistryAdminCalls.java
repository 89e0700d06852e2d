package io.expertflow.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The few calls that the launcher makes on the registry's Confluent-compatible API: is it up, and
 * set the global compatibility level.
 *
 * <p>Thread-safe (the JDK client is).
 */
final class RegistryAdminCalls {

  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient client;
  private final String baseUrl;

  RegistryAdminCalls(String baseUrl) {
    this.baseUrl = baseUrl;
    this.client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  }

  /** Whether {@code GET /subjects} answers 200; false while the server is not listening yet. */
  boolean answers() throws InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(baseUrl + "/subjects"))
            .timeout(CALL_TIMEOUT)
            .header("Accept", CONTENT_TYPE)
            .GET()
            .build();
    try {
      return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (IOException notYet) {
      return false;
    }
  }

  /**
   * Sets the global level with {@code PUT /config} unless {@code GET /config} already reports it
   * (the registry answers 404 to a PUT of NONE while no global level is stored), then checks that
   * {@code GET /config} reports it.
   *
   * @throws IllegalStateException with the status and body of a call that failed
   */
  void setGlobalCompatibility(String level) throws IOException, InterruptedException {
    if (level.equals(globalCompatibility())) {
      return;
    }
    HttpRequest put =
        HttpRequest.newBuilder(URI.create(baseUrl + "/config"))
            .timeout(CALL_TIMEOUT)
            .header("Content-Type", CONTENT_TYPE)
            .header("Accept", CONTENT_TYPE)
            .PUT(
                HttpRequest.BodyPublishers.ofString(
                    JSON.writeValueAsString(Map.of("compatibility", level))))
            .build();
    HttpResponse<String> response = client.send(put, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "PUT "
              + put.uri()
              + " with compatibility "
              + level
              + " answered HTTP "
              + response.statusCode()
              + ": "
              + response.body());
    }
    String now = globalCompatibility();
    if (!level.equals(now)) {
      throw new IllegalStateException(
          "The global compatibility level did not take: GET "
              + baseUrl
              + "/config reports "
              + now
              + " after setting "
              + level);
    }
  }

  /** The level that {@code GET /config} reports. */
  String globalCompatibility() throws IOException, InterruptedException {
    HttpRequest get =
        HttpRequest.newBuilder(URI.create(baseUrl + "/config"))
            .timeout(CALL_TIMEOUT)
            .header("Accept", CONTENT_TYPE)
            .GET()
            .build();
    HttpResponse<String> response = client.send(get, HttpResponse.BodyHandlers.ofString());
    JsonNode level = response.statusCode() == 200 ? levelOf(response.body()) : null;
    if (level == null || !level.isTextual()) {
      throw new IllegalStateException(
          "GET "
              + get.uri()
              + " answered HTTP "
              + response.statusCode()
              + " without a compatibilityLevel: "
              + response.body());
    }
    return level.asText();
  }

  /** The {@code compatibilityLevel} of a {@code GET /config} answer, or null if it has none. */
  private static JsonNode levelOf(String body) {
    try {
      return JSON.readTree(body).get("compatibilityLevel");
    } catch (IOException notJson) {
      return null;
    }
  }
}
