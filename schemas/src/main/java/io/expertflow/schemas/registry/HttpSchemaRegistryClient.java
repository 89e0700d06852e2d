package io.expertflow.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API with {@link java.net.http.HttpClient}.
 *
 * <p>Connection errors, HTTP 5xx and 429 are retried with exponential backoff ({@link
 * SchemaRegistryConfig#maxRetries()}), moving to the next configured URL; then a {@link
 * SchemaRegistryException} names the URL that failed. TLS uses the JDK's default SSL context
 * ({@code javax.net.ssl.trustStore} system properties). Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryConfig config;
  private final HttpClient http;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();
  private volatile int preferredUrl;

  public HttpSchemaRegistryClient(SchemaRegistryConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(config.requestTimeout())
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();
  }

  /** A client for one URL with default settings. */
  public static HttpSchemaRegistryClient forUrl(String url) {
    return new HttpSchemaRegistryClient(SchemaRegistryConfig.builder().url(url).build());
  }

  public SchemaRegistryConfig config() {
    return config;
  }

  @Override
  public int register(String subject, Schema schema) {
    String cacheKey = subject + '\0' + schema.toString();
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return cached;
    }
    JsonNode body;
    try {
      body = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
    } catch (IncompatibleSchemaException e) {
      // Apicurio also answers 409 when another client registered the same schema at the same
      // moment; the schema is then there, so its id is the answer.
      Optional<Integer> existing = lookup(subject, schema);
      if (existing.isPresent()) {
        return existing.get();
      }
      throw e;
    }
    int id = body.path("id").asInt(-1);
    if (id < 0) {
      throw new SchemaRegistryException(
          "registry answered without an id when registering " + subject + ": " + body,
          200,
          -1,
          null);
    }
    idsBySubjectAndSchema.put(cacheKey, id);
    schemasById.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Optional<Integer> lookup(String subject, Schema schema) {
    String cacheKey = subject + '\0' + schema.toString();
    Integer cached = idsBySubjectAndSchema.get(cacheKey);
    if (cached != null) {
      return Optional.of(cached);
    }
    try {
      JsonNode body = call("POST", "/subjects/" + enc(subject), schemaBody(schema));
      int id = body.path("id").asInt();
      idsBySubjectAndSchema.put(cacheKey, id);
      return Optional.of(id);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public Schema schemaById(int id) {
    return schemasById.computeIfAbsent(
        id,
        key -> {
          JsonNode body = call("GET", "/schemas/ids/" + key, null);
          return new Schema.Parser().parse(body.path("schema").asText());
        });
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    try {
      JsonNode body = call("GET", "/subjects/" + enc(subject) + "/versions/latest", null);
      Schema schema = new Schema.Parser().parse(body.path("schema").asText());
      int id = body.path("id").asInt();
      schemasById.putIfAbsent(id, schema);
      return Optional.of(new RegisteredSchema(subject, body.path("version").asInt(), id, schema));
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    try {
      JsonNode body =
          call(
              "POST",
              "/compatibility/subjects/" + enc(subject) + "/versions/latest?verbose=true",
              schemaBody(schema));
      List<String> messages = new ArrayList<>();
      body.path("messages").forEach(m -> messages.add(m.asText()));
      return new CompatibilityResult(body.path("is_compatible").asBoolean(false), messages);
    } catch (SchemaRegistryException e) {
      if (e.isNotFound()) {
        return new CompatibilityResult(
            true, List.of("subject " + subject + " has no versions yet"));
      }
      throw e;
    }
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    JsonNode body;
    try {
      body =
          call(
              "GET",
              subject == null ? "/config" : "/config/" + enc(subject) + "?defaultToGlobal=true",
              null);
    } catch (SchemaRegistryException e) {
      if (subject != null && e.isNotFound()) {
        return compatibility(null);
      }
      throw e;
    }
    String level = body.path("compatibilityLevel").asText(body.path("compatibility").asText());
    return CompatibilityLevel.valueOf(level);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    call("PUT", subject == null ? "/config" : "/config/" + enc(subject), body.toString());
  }

  @Override
  public List<String> subjects() {
    List<String> out = new ArrayList<>();
    call("GET", "/subjects", null).forEach(n -> out.add(n.asText()));
    return out;
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode()
        .put("schemaType", "AVRO")
        .put("schema", schema.toString())
        .toString();
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private JsonNode call(String method, String path, String body) {
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
