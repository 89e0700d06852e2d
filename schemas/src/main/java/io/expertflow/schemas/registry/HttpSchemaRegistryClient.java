package io.expertflow.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link SchemaRegistryClient} over the Confluent REST API; {@link RegistryTransport} makes the
 * calls (retries, fail-over between URLs, credentials, error mapping). Caches schemas by id and ids
 * by subject and schema. Thread-safe.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  private static final Logger LOG = LoggerFactory.getLogger(HttpSchemaRegistryClient.class);
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final SchemaRegistryConfig config;
  private final RegistryTransport transport;
  private final Map<Integer, Schema> schemasById = new ConcurrentHashMap<>();
  private final Map<String, Integer> idsBySubjectAndSchema = new ConcurrentHashMap<>();

  /** Lookups after a 409 on registration, 50 ms apart and growing (about 1.4 s in all). */
  static final int CONCURRENT_REGISTRATION_LOOKUPS = 7;

  /** Registrations tried while the registry says a concurrent one created the subject. */
  static final int CONCURRENT_REGISTRATION_ROUNDS = 3;

  /** Whether a 409 says another client created the subject at the same moment (Apicurio). */
  private static boolean isConcurrentCreation(IncompatibleSchemaException e) {
    String message = e.getMessage();
    return message != null && message.contains("already exists");
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException(
          "interrupted while waiting for a concurrent registration", 0, -1, e);
    }
  }

  public HttpSchemaRegistryClient(SchemaRegistryConfig config) {
    this.config = config;
    this.transport = new RegistryTransport(config);
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
    JsonNode body = null;
    for (int round = 1; body == null; round++) {
      try {
        body = call("POST", "/subjects/" + enc(subject) + "/versions", schemaBody(schema));
      } catch (IncompatibleSchemaException e) {
        // Apicurio also answers 409 when another client registers the same subject at the same
        // moment ("artifact already exists"); the schema is then there, or about to be, so its id
        // is the answer. The other registration may not be visible yet: look a few times, then
        // register once more, which either finds the version or says what is incompatible. A 409
        // of any other kind is a real incompatibility, reported at once.
        if (!isConcurrentCreation(e) || round >= CONCURRENT_REGISTRATION_ROUNDS) {
          throw e;
        }
        Optional<Integer> existing = lookup(subject, schema);
        for (int attempt = 1;
            existing.isEmpty() && attempt <= CONCURRENT_REGISTRATION_LOOKUPS;
            attempt++) {
          pause(attempt * 50L);
          existing = lookup(subject, schema);
        }
        if (existing.isPresent()) {
          return existing.get();
        }
      }
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
    return transport.call(method, path, body);
  }
}
