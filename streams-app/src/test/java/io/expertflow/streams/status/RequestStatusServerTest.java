package io.expertflow.streams.status;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.testsupport.LogCapture;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(LogCapture.Extension.class)
class RequestStatusServerTest {
  private final Map<String, RequestStatus> statuses = new ConcurrentHashMap<>();
  private final HttpClient client = HttpClient.newHttpClient();
  private RequestStatusServer owner;
  private RequestStatusServer other;

  /** The lookup of the instance that holds the keys: a map stands in for its store. */
  private StatusLookup.Result ownerLookup(String id) {
    RequestStatus status = statuses.get(id);
    return status == null ? new StatusLookup.Missing() : new StatusLookup.Found(status);
  }

  private RequestStatusServer start(StatusLookup lookup) throws Exception {
    RequestStatusServer server =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0), lookup, Duration.ofSeconds(5));
    server.start();
    return server;
  }

  @AfterEach
  void stop() {
    if (owner != null) {
      owner.close();
    }
    if (other != null) {
      other.close();
    }
  }

  private HttpResponse<String> get(RequestStatusServer server, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static RequestStatus answered(String id) {
    return new RequestStatus(
        id,
        "doc-" + id,
        "acme",
        RequestState.ANSWERED,
        1L,
        null,
        null,
        null,
        "OK",
        null,
        List.of(new RequestStatus.Label("news", 0.9f)),
        "v1",
        2L,
        "APPROVED",
        0,
        null,
        null);
  }

  @Test
  void shouldWarnWhenItAnswersTheNetworkWithoutTokens(LogCapture logs) throws Exception {
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tokens", ".txt");
    java.nio.file.Files.writeString(file, "acme:" + CallerTokens.hash(CallerTokens.newToken()));
    String warning = "answers every caller that can reach port";

    owner =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0), this::ownerLookup, Duration.ofSeconds(5));
    owner.start();
    other =
        new RequestStatusServer(
            new InetSocketAddress("0.0.0.0", 0),
            this::ownerLookup,
            Duration.ofSeconds(5),
            CallerTokens.load(file));
    other.start();
    assertThat(logs.lines()).noneMatch(line -> line.contains(warning));
    owner.close();
    owner =
        new RequestStatusServer(
            new InetSocketAddress("0.0.0.0", 0), this::ownerLookup, Duration.ofSeconds(5));
    owner.start();

    assertThat(logs.lines())
        .filteredOn(line -> line.contains(warning))
        .singleElement()
        .asString()
        .contains("port " + owner.port())
        .contains("http.auth.tokens.file")
        .contains("http.bind=127.0.0.1");
  }

  @Test
  void shouldShowAnAuthenticatedCallerItsOwnTenantsRequestsOnly() throws Exception {
    statuses.put("r-1", answered("r-1")); // tenant acme
    String acme = CallerTokens.newToken();
    String globex = CallerTokens.newToken();
    String operator = CallerTokens.newToken();
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tokens", ".txt");
    java.nio.file.Files.writeString(
        file,
        String.join(
            "\n",
            "acme:" + CallerTokens.hash(acme),
            "globex:" + CallerTokens.hash(globex),
            "*:" + CallerTokens.hash(operator)));
    owner =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0),
            this::ownerLookup,
            Duration.ofSeconds(5),
            CallerTokens.load(file));
    owner.serveProbes(() -> true, () -> true);
    owner.start();
    // a second instance that forwards to the owner, with the caller's token
    other =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0),
            id -> new StatusLookup.Elsewhere("127.0.0.1", owner.port()),
            Duration.ofSeconds(5),
            CallerTokens.load(file));
    other.start();

    HttpResponse<String> anonymous = get(owner, "/v1/requests/r-1");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.headers().firstValue("WWW-Authenticate"))
        .contains("Bearer realm=\"expertflow\"");
    assertThat(anonymous.body()).contains("bearer token is needed").doesNotContain("ANSWERED");
    assertThat(get(owner, "/v1/requests/r-1", "Bearer " + CallerTokens.newToken()).statusCode())
        .isEqualTo(401);
    assertThat(get(owner, "/v1/requests/r-1", "Bearer " + acme).statusCode()).isEqualTo(200);
    assertThat(get(other, "/v1/requests/r-1", "Bearer " + acme).statusCode())
        .as("forwarded with the caller's token")
        .isEqualTo(200);
    HttpResponse<String> foreign = get(owner, "/v1/requests/r-1", "Bearer " + globex);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).contains("unknown request").doesNotContain("acme");
    assertThat(get(other, "/v1/requests/r-1", "Bearer " + globex).statusCode()).isEqualTo(404);
    assertThat(get(owner, "/v1/requests/r-1", "Bearer " + operator).statusCode()).isEqualTo(200);
    assertThat(get(owner, "/healthz").statusCode()).as("probes stay open").isEqualTo(200);
    assertThat(owner.authenticates()).isTrue();
  }

  private HttpResponse<String> get(RequestStatusServer server, String path, String authorization)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", authorization)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerTheProbesFromTheirSuppliers() throws Exception {
    AtomicBoolean live = new AtomicBoolean();
    AtomicBoolean ready = new AtomicBoolean();
    owner =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0), this::ownerLookup, Duration.ofSeconds(5));
    owner.serveProbes(live::get, ready::get);
    owner.start();

    live.set(true);
    assertThat(get(owner, "/healthz").statusCode()).isEqualTo(200);
    assertThat(get(owner, "/readyz").statusCode()).isEqualTo(503);

    ready.set(true);
    assertThat(get(owner, "/readyz").statusCode()).isEqualTo(200);

    live.set(false);
    assertThat(get(owner, "/healthz").statusCode()).isEqualTo(503);
    assertThat(get(owner, "/healthz").body()).isEqualTo("failed\n");
  }

  @Test
  void shouldServeAKnownRequestAsJson() throws Exception {
    statuses.put("r 1", answered("r 1"));
    owner = start(this::ownerLookup);

    HttpResponse<String> response = get(owner, "/v1/requests/r%201");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    JsonNode body = JsonSerde.MAPPER.readTree(response.body());
    assertThat(body.get("requestId").asText()).isEqualTo("r 1");
    assertThat(body.get("state").asText()).isEqualTo("ANSWERED");
    assertThat(body.get("decision").asText()).isEqualTo("APPROVED");
    assertThat(body.get("labels").get(0).get("label").asText()).isEqualTo("news");
    assertThat(body.has("deadLetterReason")).as("null fields are omitted").isFalse();
  }

  @Test
  void shouldAnswer404WithAJsonErrorForAnUnknownRequest() throws Exception {
    owner = start(this::ownerLookup);

    HttpResponse<String> response = get(owner, "/v1/requests/nope");

    assertThat(response.statusCode()).isEqualTo(404);
    JsonNode body = JsonSerde.MAPPER.readTree(response.body());
    assertThat(body.get("error").asText()).isEqualTo("unknown request");
    assertThat(body.get("request_id").asText()).isEqualTo("nope");
  }

  @Test
  void shouldForwardToTheInstanceThatOwnsTheKey() throws Exception {
    statuses.put("r2", answered("r2"));
    owner = start(this::ownerLookup);
    int ownerPort = owner.port();
    other = start(id -> new StatusLookup.Elsewhere("127.0.0.1", ownerPort));

    HttpResponse<String> found = get(other, "/v1/requests/r2");
    HttpResponse<String> missing = get(other, "/v1/requests/r404");

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(JsonSerde.MAPPER.readTree(found.body()).get("requestId").asText()).isEqualTo("r2");
    assertThat(missing.statusCode()).isEqualTo(404);
  }

  @Test
  void shouldNotForwardTwiceWhenInstancesDisagree() throws Exception {
    owner = start(id -> new StatusLookup.Elsewhere("127.0.0.1", 1));
    int ownerPort = owner.port();
    other = start(id -> new StatusLookup.Elsewhere("127.0.0.1", ownerPort));

    HttpResponse<String> response = get(other, "/v1/requests/r3");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("disagree");
  }

  @Test
  void shouldAnswer503WhileTheStoreIsUnavailableAnd405ForOtherMethods() throws Exception {
    owner = start(id -> new StatusLookup.Unavailable("rebalancing"));

    HttpResponse<String> unavailable = get(owner, "/v1/requests/r1");
    HttpResponse<String> post =
        client.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + owner.port() + "/v1/requests/r1"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(unavailable.statusCode()).isEqualTo(503);
    assertThat(unavailable.headers().firstValue("Retry-After")).contains("1");
    assertThat(post.statusCode()).isEqualTo(405);
  }
}
