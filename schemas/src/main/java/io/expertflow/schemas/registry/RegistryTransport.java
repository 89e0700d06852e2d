package io.expertflow.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP calls of the registry client, with {@link java.net.http.HttpClient}.
 *
 * <p>Connection errors, HTTP 5xx and 429 are retried with exponential backoff ({@link
 * SchemaRegistryConfig#maxRetries()}), moving to the next configured URL; then a {@link
 * SchemaRegistryException} names the URL that failed. Credentials (basic or bearer) go on every
 * call. TLS uses the JDK's default SSL context ({@code javax.net.ssl.trustStore} system
 * properties). Thread-safe.
 */
final class RegistryTransport {
  private static final Logger LOG = LoggerFactory.getLogger(RegistryTransport.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryConfig config;
  private final HttpClient http;
  private volatile int preferredUrl;

  RegistryTransport(SchemaRegistryConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** The JSON answer of {@code method path} (a null node for an empty body). */
  JsonNode call(String method, String path, String body) {
    List<URI> urls = config.urls();
    Duration backoff = config.retryBackoff();
    SchemaRegistryException last = null;
    for (int attempt = 0; attempt <= config.maxRetries(); attempt++) {
      int index = Math.floorMod(preferredUrl + attempt, urls.size());
      URI url = URI.create(urls.get(index) + path);
      try {
        HttpResponse<String> response = http.send(request(method, url, body), bodyHandler());
        int status = response.statusCode();
        if (status >= 200 && status < 300) {
          preferredUrl = index;
          String text = response.body();
          return text == null || text.isBlank() ? JSON.nullNode() : JSON.readTree(text);
        }
        last = error(method, url, status, response.body());
        if (status < 500 && status != 429) {
          throw last;
        }
      } catch (IOException e) {
        last =
            new SchemaRegistryException(
                "schema registry at "
                    + url
                    + " did not answer ("
                    + e.getClass().getSimpleName()
                    + ": "
                    + e.getMessage()
                    + "); is it running and is "
                    + SchemaRegistryConfig.URL
                    + " right?",
                -1,
                -1,
                e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new SchemaRegistryException("interrupted calling " + url, -1, -1, e);
      }
      if (attempt < config.maxRetries()) {
        LOG.warn("schema registry call {} {} failed, retrying: {}", method, url, last.getMessage());
        sleep(backoff);
        backoff = min(backoff.multipliedBy(2), SchemaRegistryConfig.MAX_RETRY_BACKOFF);
      }
    }
    throw new SchemaRegistryException(
        last.getMessage() + " (gave up after " + (config.maxRetries() + 1) + " attempts)",
        last.status(),
        last.errorCode(),
        last.getCause());
  }

  private HttpRequest request(String method, URI url, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(url)
            .timeout(config.requestTimeout())
            .header("Accept", CONTENT_TYPE + ", application/json");
    if (body != null) {
      b.header("Content-Type", CONTENT_TYPE);
    }
    if (config.basicAuthUserInfo() != null) {
      b.header(
          "Authorization",
          "Basic "
              + Base64.getEncoder()
                  .encodeToString(config.basicAuthUserInfo().getBytes(StandardCharsets.UTF_8)));
    } else if (config.bearerToken() != null) {
      b.header("Authorization", "Bearer " + config.bearerToken());
    }
    HttpRequest.BodyPublisher publisher =
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8);
    return b.method(method, publisher).build();
  }

  private static HttpResponse.BodyHandler<String> bodyHandler() {
    return HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8);
  }

  private static SchemaRegistryException error(String method, URI url, int status, String body) {
    int code = -1;
    String message = body;
    try {
      JsonNode json = JSON.readTree(body);
      code = json.path("error_code").asInt(-1);
      message = json.path("message").asText(body);
    } catch (IOException | RuntimeException notJson) {
      // keep the raw body as the message
    }
    String text = method + " " + url + " answered HTTP " + status + ": " + message;
    if (status == 409) {
      return new IncompatibleSchemaException(text, status, code);
    }
    if (status == 401 || status == 403) {
      text += " (check " + SchemaRegistryConfig.BASIC_AUTH_USER_INFO + " or the bearer token)";
    }
    return new SchemaRegistryException(text, status, code, null);
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted while retrying", -1, -1, e);
    }
  }
}
