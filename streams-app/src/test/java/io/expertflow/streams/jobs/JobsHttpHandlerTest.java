package io.expertflow.streams.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.streams.status.RequestStatusServer;
import io.expertflow.streams.status.StatusLookup;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class JobsHttpHandlerTest {
  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final List<RequestStatusServer> servers = new ArrayList<>();

  /**
   * A job lookup over a map standing in for one instance's store; jobs it does not hold but {@code
   * elsewhere} names are owned by that instance.
   */
  private static JobLookup lookup(
      Map<String, JobCounts> local, Map<String, Integer> elsewhere, List<String> others) {
    return new JobLookup() {
      @Override
      public Result find(String jobId) {
        if (local.containsKey(jobId)) {
          return new Found(local.get(jobId));
        }
        Integer port = elsewhere.get(jobId);
        return port == null ? new Missing() : new Elsewhere("127.0.0.1", port);
      }

      @Override
      public Local local() {
        return new Listed(List.copyOf(local.values()));
      }

      @Override
      public List<String> others() {
        return others;
      }
    };
  }

  private RequestStatusServer start(AtomicReference<JobLookup> lookup) throws Exception {
    RequestStatusServer server =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0),
            id -> new StatusLookup.Missing(),
            Duration.ofSeconds(5));
    server.addHandler(
        JobsHttpHandler.PATH, new JobsHttpHandler(lookup::get, Duration.ofSeconds(5)));
    server.start();
    servers.add(server);
    return server;
  }

  @AfterEach
  void stop() {
    servers.forEach(RequestStatusServer::close);
  }

  private static JobCounts job(String id, String tenant, long answered, long started) {
    return new JobCounts(
        id,
        tenant,
        10,
        10,
        answered,
        0,
        0,
        0,
        Map.of(),
        Map.of(),
        Map.of("news", answered),
        started,
        null,
        null);
  }

  private HttpResponse<String> get(RequestStatusServer server, String path) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeAJobHideItFromOtherTenantsAndSay404WhenUnknown() throws Exception {
    AtomicReference<JobLookup> lookup =
        new AtomicReference<>(lookup(Map.of("j-1", job("j-1", "acme", 7, 1)), Map.of(), List.of()));
    RequestStatusServer server = start(lookup);

    HttpResponse<String> found = get(server, "/v1/jobs/j-1");
    assertThat(found.statusCode()).isEqualTo(200);
    JsonNode body = json.readTree(found.body());
    assertThat(body.path("jobId").asText()).isEqualTo("j-1");
    assertThat(body.path("answered").asLong()).isEqualTo(7);
    assertThat(body.path("labels").path("news").asLong()).isEqualTo(7);

    assertThat(get(server, "/v1/jobs/j-1?tenant=acme").statusCode()).isEqualTo(200);
    assertThat(get(server, "/v1/jobs/j-1?tenant=globex").statusCode()).isEqualTo(404);
    HttpResponse<String> unknown = get(server, "/v1/jobs/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("unknown job");
  }

  @Test
  void shouldForwardAJobOwnedByAnotherInstanceAndListJobsOfEveryInstance() throws Exception {
    AtomicReference<JobLookup> otherLookup = new AtomicReference<>();
    RequestStatusServer other = start(otherLookup);
    otherLookup.set(lookup(Map.of("j-2", job("j-2", "globex", 3, 5)), Map.of(), List.of()));
    Map<String, JobCounts> mine = new ConcurrentHashMap<>(Map.of("j-1", job("j-1", "acme", 7, 9)));
    AtomicReference<JobLookup> ownLookup =
        new AtomicReference<>(
            lookup(mine, Map.of("j-2", other.port()), List.of("http://127.0.0.1:" + other.port())));
    RequestStatusServer server = start(ownLookup);

    HttpResponse<String> forwarded = get(server, "/v1/jobs/j-2");
    assertThat(forwarded.statusCode()).isEqualTo(200);
    assertThat(json.readTree(forwarded.body()).path("tenant").asText()).isEqualTo("globex");

    JsonNode all = json.readTree(get(server, "/v1/jobs").body()).path("jobs");
    assertThat(all).hasSize(2);
    assertThat(all.get(0).path("jobId").asText()).isEqualTo("j-2"); // started earlier
    assertThat(all.get(1).path("jobId").asText()).isEqualTo("j-1");
    JsonNode acme = json.readTree(get(server, "/v1/jobs?tenant=acme").body()).path("jobs");
    assertThat(acme).hasSize(1);
    assertThat(acme.get(0).path("jobId").asText()).isEqualTo("j-1");
  }

  @Test
  void shouldShowAnAuthenticatedTenantItsOwnJobsOnAnyInstance() throws Exception {
    String acme = io.expertflow.streams.status.CallerTokens.newToken();
    String operator = io.expertflow.streams.status.CallerTokens.newToken();
    java.nio.file.Path file = java.nio.file.Files.createTempFile("tokens", ".txt");
    java.nio.file.Files.writeString(
        file,
        "acme:"
            + io.expertflow.streams.status.CallerTokens.hash(acme)
            + "\n*:"
            + io.expertflow.streams.status.CallerTokens.hash(operator)
            + "\n");
    io.expertflow.streams.status.CallerTokens tokens =
        io.expertflow.streams.status.CallerTokens.load(file);
    AtomicReference<JobLookup> otherLookup =
        new AtomicReference<>(
            lookup(Map.of("j-2", job("j-2", "globex", 3, 5)), Map.of(), List.of()));
    RequestStatusServer other = start(otherLookup, tokens);
    AtomicReference<JobLookup> ownLookup =
        new AtomicReference<>(
            lookup(
                Map.of("j-1", job("j-1", "acme", 7, 9)),
                Map.of("j-2", other.port()),
                List.of("http://127.0.0.1:" + other.port())));
    RequestStatusServer server = start(ownLookup, tokens);

    assertThat(get(server, "/v1/jobs").statusCode()).isEqualTo(401);
    assertThat(get(server, "/v1/jobs/j-1").statusCode()).isEqualTo(401);
    JsonNode mine = json.readTree(get(server, "/v1/jobs", acme).body()).path("jobs");
    assertThat(mine).hasSize(1);
    assertThat(mine.get(0).path("jobId").asText()).isEqualTo("j-1");
    // asking for another tenant's jobs shows the caller's own, never theirs
    JsonNode asked = json.readTree(get(server, "/v1/jobs?tenant=globex", acme).body()).path("jobs");
    assertThat(asked).hasSize(1);
    assertThat(asked.get(0).path("tenant").asText()).isEqualTo("acme");
    assertThat(get(server, "/v1/jobs/j-1", acme).statusCode()).isEqualTo(200);
    assertThat(get(server, "/v1/jobs/j-2", acme).statusCode())
        .as("globex's job, owned by the other instance")
        .isEqualTo(404);
    assertThat(get(server, "/v1/jobs/j-2", operator).statusCode()).isEqualTo(200);
    assertThat(json.readTree(get(server, "/v1/jobs", operator).body()).path("jobs")).hasSize(2);

    // exports: the caller's own job, on this instance; another tenant's, on the other, never
    assertThat(get(server, "/v1/jobs/j-1/export", acme).statusCode()).isEqualTo(200);
    assertThat(get(server, "/v1/jobs/j-1/export", acme).body()).isEqualTo("export of j-1");
    HttpResponse<String> foreign = get(server, "/v1/jobs/j-2/export", acme);
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).doesNotContain("export of");
    assertThat(get(server, "/v1/jobs/j-2/export", operator).body()).isEqualTo("export of j-2");
    assertThat(get(server, "/v1/jobs/j-1/export").statusCode()).isEqualTo(401);
  }

  private RequestStatusServer start(
      AtomicReference<JobLookup> lookup, io.expertflow.streams.status.CallerTokens tokens)
      throws Exception {
    RequestStatusServer server =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0),
            id -> new StatusLookup.Missing(),
            Duration.ofSeconds(5),
            tokens);
    server.addHandler(
        JobsHttpHandler.PATH,
        new JobsHttpHandler(
            lookup::get,
            Duration.ofSeconds(5),
            (exchange, jobId) -> {
              byte[] body =
                  ("export of " + jobId).getBytes(java.nio.charset.StandardCharsets.UTF_8);
              exchange.sendResponseHeaders(200, body.length);
              exchange.getResponseBody().write(body);
            }));
    server.start();
    servers.add(server);
    return server;
  }

  private HttpResponse<String> get(RequestStatusServer server, String path, String token)
      throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldServeTheFiguresWithTheAnswersOverTime() throws Exception {
    JobCounts timed =
        new JobCounts(
            "j-2",
            "acme",
            2,
            2,
            2,
            0,
            0,
            0,
            Map.of(),
            Map.of(),
            Map.of(),
            1L,
            3_000L,
            new AnswerTimeline(1_000, Map.of(1_000L, 1L, 3_000L, 1L)));
    AtomicReference<JobLookup> lookup =
        new AtomicReference<>(lookup(Map.of("j-2", timed), Map.of(), List.of()));
    RequestStatusServer server = start(lookup);

    HttpResponse<String> found = get(server, "/v1/jobs/j-2");

    assertThat(found.statusCode()).isEqualTo(200);
    assertThat(found.body())
        .contains(
            "\"answeredTimeline\":{\"bucketMillis\":1000,\"counts\":{\"1000\":1,\"3000\":1}}");
  }

  @Test
  void shouldRouteAJobsExportAndSay404WhenThereIsNone() throws Exception {
    AtomicReference<JobLookup> lookup =
        new AtomicReference<>(lookup(Map.of(), Map.of(), List.of()));
    RequestStatusServer without = start(lookup);
    RequestStatusServer with =
        new RequestStatusServer(
            new InetSocketAddress("127.0.0.1", 0),
            id -> new StatusLookup.Missing(),
            Duration.ofSeconds(5));
    List<String> exported = new java.util.concurrent.CopyOnWriteArrayList<>();
    with.addHandler(
        JobsHttpHandler.PATH,
        new JobsHttpHandler(
            lookup::get,
            Duration.ofSeconds(5),
            (exchange, jobId) -> {
              exported.add(jobId);
              exchange.sendResponseHeaders(204, -1);
            }));
    with.start();
    servers.add(with);

    assertThat(get(without, "/v1/jobs/j-1/export").statusCode()).isEqualTo(404);
    assertThat(get(with, "/v1/jobs/j%201/export?format=csv").statusCode()).isEqualTo(204);
    assertThat(get(with, "/v1/jobs/export").statusCode()).isEqualTo(404); // a job named export
    assertThat(exported).containsExactly("j 1");
  }

  @Test
  void shouldAnswer503WhileTheJobApplicationStartsOrItsStoreRebalances() throws Exception {
    AtomicReference<JobLookup> lookup = new AtomicReference<>();
    RequestStatusServer server = start(lookup);

    HttpResponse<String> starting = get(server, "/v1/jobs/j-1");
    assertThat(starting.statusCode()).isEqualTo(503);
    assertThat(starting.headers().firstValue("Retry-After")).contains("1");

    lookup.set(
        new JobLookup() {
          @Override
          public Result find(String jobId) {
            return new Unavailable("the job store is rebalancing; retry shortly");
          }

          @Override
          public Local local() {
            return new Unavailable("the job store is rebalancing; retry shortly");
          }

          @Override
          public List<String> others() {
            return List.of();
          }
        });
    assertThat(get(server, "/v1/jobs/j-1").statusCode()).isEqualTo(503);
    assertThat(get(server, "/v1/jobs").statusCode()).isEqualTo(503);
    assertThat(get(server, "/v1/jobs/a/b").statusCode()).isEqualTo(400);
  }
}
