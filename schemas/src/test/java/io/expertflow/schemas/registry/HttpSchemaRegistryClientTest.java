package io.expertflow.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client against small HTTP servers of the JDK that answer as a registry would, to exercise the
 * failure paths a real registry cannot be made to show on demand. The happy paths run against the
 * real registry server in the integration tests.
 */
class HttpSchemaRegistryClientTest {
  private static final Schema SCHEMA =
      SchemaBuilder.record("R").fields().requiredInt("a").endRecord();
  private HttpServer server;
  private final List<String> authHeaders = new CopyOnWriteArrayList<>();

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private String serve(Handler handler) throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          authHeaders.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
          handler.handle(exchange);
        });
    server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
    server.start();
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  private static void answer(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void shouldNameTheUrlWhenTheRegistryIsDown() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    String url = "http://127.0.0.1:" + port;
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.builder()
                .url(url)
                .maxRetries(2)
                .retryBackoff(Duration.ofMillis(10))
                .build());

    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining(url + "/schemas/ids/1")
        .hasMessageContaining("did not answer")
        .hasMessageContaining("gave up after 3 attempts");
  }

  @Test
  void shouldGiveUpOnASlowRegistryAfterTheRequestTimeout() throws IOException {
    CountDownLatch release = new CountDownLatch(1);
    String url =
        serve(
            exchange -> {
              try {
                release.await(5, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              answer(exchange, 200, "{}");
            });
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.builder()
                .url(url)
                .requestTimeout(Duration.ofMillis(200))
                .maxRetries(1)
                .retryBackoff(Duration.ofMillis(10))
                .build());
    try {
      assertThatThrownBy(() -> client.schemaById(7))
          .isInstanceOf(SchemaRegistryException.class)
          .hasMessageContaining(url)
          .hasMessageContaining("timed out")
          .hasMessageContaining("gave up after 2 attempts");
    } finally {
      release.countDown();
    }
  }

  @Test
  void shouldRetryServerErrorsThenSucceed() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            exchange -> {
              if (calls.incrementAndGet() < 3) {
                answer(exchange, 503, "{\"error_code\":50301,\"message\":\"busy\"}");
              } else {
                answer(exchange, 200, "{\"id\":12}");
              }
            });
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.builder().url(url).retryBackoff(Duration.ofMillis(5)).build());

    assertThat(client.register("s-value", SCHEMA)).isEqualTo(12);
    assertThat(calls.get()).isEqualTo(3);
  }

  @Test
  void shouldReportAnIncompatibleSchemaWithTheRegistrysMessage() throws IOException {
    String url =
        serve(
            exchange ->
                answer(
                    exchange,
                    409,
                    "{\"error_code\":409,\"message\":\"READER_FIELD_MISSING_DEFAULT_VALUE: b\"}"));
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(url);

    assertThatThrownBy(() -> client.register("s-value", SCHEMA))
        .isInstanceOf(IncompatibleSchemaException.class)
        .hasMessageContaining("HTTP 409")
        .hasMessageContaining("READER_FIELD_MISSING_DEFAULT_VALUE: b");
  }

  @Test
  void shouldTakeTheIdOfAConcurrentRegistrationOnceItBecomesVisible() throws IOException {
    AtomicInteger lookups = new AtomicInteger();
    String url =
        serve(
            exchange -> {
              String path = exchange.getRequestURI().getPath();
              if (path.endsWith("/versions")) {
                // another client registers the subject at the same moment (Apicurio's answer)
                answer(
                    exchange,
                    409,
                    "{\"error_code\":409,\"message\":\"An artifact with ID 's-value' in group"
                        + " 'null' already exists.\"}");
              } else if (lookups.incrementAndGet() < 3) {
                answer(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
              } else {
                answer(
                    exchange,
                    200,
                    "{\"subject\":\"s-value\",\"version\":1,\"id\":21,\"schema\":\"\"}");
              }
            });
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(url);

    assertThat(client.register("s-value", SCHEMA)).isEqualTo(21);
    assertThat(lookups.get()).isEqualTo(3);
  }

  @Test
  void shouldRegisterAgainWhileAConcurrentCreationIsNotVisible() throws IOException {
    AtomicInteger registrations = new AtomicInteger();
    String url =
        serve(
            exchange -> {
              if (!exchange.getRequestURI().getPath().endsWith("/versions")) {
                answer(exchange, 404, "{\"error_code\":40403,\"message\":\"Schema not found\"}");
              } else if (registrations.incrementAndGet() < 3) {
                answer(
                    exchange,
                    409,
                    "{\"error_code\":409,\"message\":\"An artifact with ID 's-value' in group"
                        + " 'null' already exists.\"}");
              } else {
                answer(exchange, 200, "{\"id\":33}");
              }
            });
    HttpSchemaRegistryClient client = HttpSchemaRegistryClient.forUrl(url);

    assertThat(client.register("s-value", SCHEMA)).isEqualTo(33);
    assertThat(registrations.get()).isEqualTo(3);
  }

  @Test
  void shouldSendBasicAuthAndCacheSchemasById() throws IOException {
    AtomicInteger calls = new AtomicInteger();
    String url =
        serve(
            exchange -> {
              calls.incrementAndGet();
              answer(
                  exchange,
                  200,
                  "{\"schema\":"
                      + new com.fasterxml.jackson.databind.ObjectMapper()
                          .writeValueAsString(SCHEMA.toString())
                      + "}");
            });
    HttpSchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            SchemaRegistryConfig.fromProperties(
                java.util.Map.of(
                    SchemaRegistryConfig.URL, url,
                    SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE, "USER_INFO",
                    SchemaRegistryConfig.BASIC_AUTH_USER_INFO, "alice:secret")));

    assertThat(client.schemaById(3)).isEqualTo(SCHEMA);
    assertThat(client.schemaById(3)).isEqualTo(SCHEMA);

    assertThat(calls.get()).isEqualTo(1);
    assertThat(authHeaders).containsExactly("Basic YWxpY2U6c2VjcmV0");
  }

  @Test
  void shouldRejectAUrlWithoutScheme() {
    assertThatThrownBy(() -> SchemaRegistryConfig.builder().url("localhost:8081"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("http://");
  }

  @FunctionalInterface
  interface Handler {
    void handle(HttpExchange exchange) throws IOException;
  }
}
