package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real registry server, driven over plain HTTP as any Confluent-API client would. One server
 * serves the whole class (a start takes seconds); the last test closes it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalSchemaRegistryIT {

  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static final String ORDER_V1 =
      "{\"type\":\"record\",\"name\":\"Order\",\"namespace\":\"io.expertflow.test\",\"fields\":["
          + "{\"name\":\"zeta\",\"type\":\"string\"},"
          + "{\"name\":\"alpha\",\"type\":\"long\"},"
          + "{\"name\":\"mid\",\"type\":\"int\"}]}";
  private static final String ORDER_V2_NO_DEFAULT =
      ORDER_V1.replace("]}", ",{\"name\":\"added\",\"type\":\"string\"}]}");
  private static final String ORDER_V2_WITH_DEFAULT =
      ORDER_V1.replace("]}", ",{\"name\":\"added\",\"type\":\"string\",\"default\":\"\"}]}");

  private static LocalSchemaRegistry registry;

  @BeforeAll
  static void startRegistry() {
    registry = LocalSchemaRegistry.start(); // logs to a temporary folder of its own
    System.out.printf(
        "Schema registry started in %d ms at %s%n",
        registry.startDuration().toMillis(), registry.url());
  }

  @AfterAll
  static void stopRegistry() {
    if (registry != null) {
      registry.close();
    }
  }

  @Test
  void shouldRegisterAnAvroSchemaAndServeItById() throws Exception {
    HttpResponse<String> registered = register("orders-value", ORDER_V1);
    assertThat(registered.statusCode()).isEqualTo(200);
    int id = JSON.readTree(registered.body()).path("id").asInt(-1);

    HttpResponse<String> fetched = get("/schemas/ids/" + id);

    assertThat(id).isPositive();
    assertThat(fetched.statusCode()).isEqualTo(200);
    assertThat(new Schema.Parser().parse(schemaText(fetched)))
        .isEqualTo(new Schema.Parser().parse(ORDER_V1));
  }

  @Test
  void shouldRejectAFieldAddedWithoutDefaultBecauseBackwardIsTheDefault() throws Exception {
    assertThat(register("backward-value", ORDER_V1).statusCode()).isEqualTo(200);

    HttpResponse<String> incompatible = register("backward-value", ORDER_V2_NO_DEFAULT);
    HttpResponse<String> compatible = register("backward-value", ORDER_V2_WITH_DEFAULT);

    assertThat(JSON.readTree(get("/config").body()).path("compatibilityLevel").asText())
        .isEqualTo("BACKWARD");
    assertThat(incompatible.statusCode()).as(incompatible.body()).isEqualTo(409);
    assertThat(compatible.statusCode()).as(compatible.body()).isEqualTo(200);
    assertThat(get("/subjects/backward-value/versions").body()).isEqualTo("[1,2]");
  }

  @Test
  void shouldKeepTheFieldOrderAndTextOfTheRegisteredSchema() throws Exception {
    int id = JSON.readTree(register("field-order-value", ORDER_V1).body()).path("id").asInt(-1);

    String served = schemaText(get("/schemas/ids/" + id));

    assertThat(served).isEqualTo(ORDER_V1);
    assertThat(
            new Schema.Parser()
                .parse(served).getFields().stream()
                    .map(Schema.Field::name)
                    .collect(Collectors.toList()))
        .containsExactly("zeta", "alpha", "mid");
  }

  /** Runs last: it stops the registry that the other tests share, one start being enough. */
  @Test
  @Order(Integer.MAX_VALUE)
  void shouldLeaveNoProcessNoFolderAndFreeThePortOnClose() {
    long pid = registry.pid();
    int port = registry.port();
    Path folder = registry.logFile().getParent();
    assertThat(registry.url()).isEqualTo("http://127.0.0.1:" + port + "/apis/ccompat/v7");
    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
    assertThat(registry.logFile()).isNotEmptyFile();

    registry.close();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(folder).doesNotExist();
    assertThatCode(
            () -> {
              try (ServerSocket socket =
                  new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertThat(socket.getLocalPort()).isEqualTo(port);
              }
            })
        .doesNotThrowAnyException();
  }

  @Test
  void shouldEndWhenTheJvmThatLaunchedItIsKilled(@TempDir Path dir) throws Exception {
    Path appJar = RegistryAppLocator.locate(Optional.empty());
    Process launcher =
        new ProcessBuilder(
                RegistryProcess.javaExecutable().toString(),
                "-cp",
                System.getProperty("java.class.path"),
                RegistryParentProcessMain.class.getName(),
                dir.toString(),
                appJar.toString())
            .redirectErrorStream(true)
            .start();
    long registryPid = -1;
    try {
      registryPid = readRegistryPid(launcher);
      ProcessHandle orphan = ProcessHandle.of(registryPid).orElseThrow();

      launcher.destroyForcibly().waitFor();

      assertThat(orphan.onExit()).succeedsWithin(Duration.ofSeconds(30));
      assertThat(orphan.isAlive()).isFalse();
    } finally {
      launcher.destroyForcibly();
      ProcessHandle.of(registryPid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  @Test
  void shouldNameTheLogFileAndQuoteItWhenTheServerExitsEarly(@TempDir Path dir) throws IOException {
    Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");

    assertThatThrownBy(
            () ->
                LocalSchemaRegistry.start(
                    LocalSchemaRegistryConfig.builder()
                        .appJar(notAJar)
                        .workDir(dir)
                        .startTimeout(Duration.ofSeconds(30))
                        .build()))
        .isInstanceOf(RegistryStartException.class)
        .hasMessageContaining("exited with code")
        .hasMessageContaining(dir.resolve(LocalSchemaRegistry.LOG_FILE_NAME).toString())
        .hasMessageContaining("corrupt jarfile");
  }

  @Test
  void shouldKeepItsTemporaryFolderForTheLogWhenTheStartFails(@TempDir Path dir)
      throws IOException {
    Path notAJar = Files.writeString(dir.resolve("quarkus-run.jar"), "not a jar");

    Throwable thrown =
        catchThrowable(
            () ->
                LocalSchemaRegistry.start(
                    LocalSchemaRegistryConfig.builder()
                        .appJar(notAJar)
                        .startTimeout(Duration.ofSeconds(30))
                        .build()));

    assertThat(thrown).isInstanceOf(RegistryStartException.class);
    Path log = ((RegistryStartException) thrown).logFile();
    try {
      assertThat(log).content().contains("corrupt jarfile");
      assertThat(thrown).hasMessageContaining(log.toString());
    } finally {
      WorkFolders.deleteRecursively(log.getParent());
    }
  }

  /** The pid that the launcher prints once its registry is up; fails if it ends without one. */
  private static long readRegistryPid(Process launcher) throws IOException {
    BufferedReader output =
        new BufferedReader(
            new InputStreamReader(launcher.getInputStream(), StandardCharsets.UTF_8));
    StringBuilder seen = new StringBuilder();
    for (String line = output.readLine(); line != null; line = output.readLine()) {
      if (line.startsWith("REGISTRY_PID ")) {
        return Long.parseLong(line.substring("REGISTRY_PID ".length()).trim());
      }
      seen.append(line).append(System.lineSeparator());
    }
    throw new AssertionError("The launcher ended without starting a registry:\n" + seen);
  }

  private static HttpResponse<String> register(String subject, String schema)
      throws IOException, InterruptedException {
    String body = JSON.writeValueAsString(JSON.createObjectNode().put("schema", schema));
    return send(
        HttpRequest.newBuilder(uri("/subjects/" + subject + "/versions"))
            .header("Content-Type", CONTENT_TYPE)
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).GET());
  }

  private static HttpResponse<String> send(HttpRequest.Builder request)
      throws IOException, InterruptedException {
    return HTTP.send(
        request.header("Accept", CONTENT_TYPE).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(String path) {
    return URI.create(registry.url() + path);
  }

  private static String schemaText(HttpResponse<String> response) throws IOException {
    JsonNode node = JSON.readTree(response.body());
    assertThat(node.has("schema")).as(response.body()).isTrue();
    return node.get("schema").asText();
  }
}
