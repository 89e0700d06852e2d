package io.expertflow.streams;

import static io.expertflow.streams.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.stats.StatsConfig;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole streams app on the real broker and schema registry: a request is accepted, answered by
 * a response produced as a worker would, routed by rules from a YAML file, and its status read over
 * HTTP at each stage; feedback over two event-time weeks yields exactly two closed windows of
 * statistics per expert.
 */
@WithLocalStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StreamsAppIT {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Instant W1 =
      Instant.ofEpochMilli(T0.toEpochMilli() - T0.toEpochMilli() % WEEK.toMillis());

  private final HttpClient http = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final ConcurrentLinkedQueue<Exception> sendErrors = new ConcurrentLinkedQueue<>();
  private LocalStack stack;
  private TopicNames topics;
  private SchemaRegistryClient registry;
  private KafkaProducer<String, SpecificRecord> producer;
  private StreamsApp app;
  private StreamsAppConfig config;

  @BeforeAll
  void start(LocalStack stack, @TempDir Path dir) throws Exception {
    this.stack = stack;
    TopicCatalog catalog = stack.isolatedTopics("streams-app");
    topics = TopicNames.of(catalog);
    registry = stack.registryClient();
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        default: APPROVED
        rules:
          - id: block-confident-spam
            decision: BLOCKED
            when: {top_label: [spam], score: {label: spam, at_least: 0.9}}
          - id: low-confidence
            decision: REVIEW
            when: {confidence_below: 0.6}
        """);
    config =
        StreamsAppConfig.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .applicationId("streams-it-" + catalog.prefix().replace(".", ""))
            .topicPrefix(catalog.prefix())
            .stateDir(dir.resolve("state"))
            .instanceId("it")
            .rulesFile(rules)
            .stats(new StatsConfig(WEEK, Duration.ofMinutes(1)))
            .httpBind("127.0.0.1")
            .advertisedHost("127.0.0.1")
            .httpPort(0)
            .build();
    app = StreamsApp.start(config, registry);
    producer =
        new KafkaProducer<>(
            new HashMap<>(stack.clientProperties()),
            new StringSerializer(),
            new AvroSerializer<>(registry, false));
    await().atMost(Duration.ofSeconds(90)).until(app::isRunning);
  }

  @AfterAll
  void stop() {
    if (producer != null) {
      producer.close();
    }
    if (app != null) {
      app.close();
    }
  }

  private void send(String topic, String key, SpecificRecord value) {
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (md, e) -> {
          if (e != null) {
            sendErrors.add(e);
          }
        });
    producer.flush();
    assertThat(sendErrors).isEmpty();
  }

  private JsonNode status(String requestId) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://127.0.0.1:"
                            + app.httpPort().getAsInt()
                            + "/v1/requests/"
                            + requestId))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return response.statusCode() == 200 ? json.readTree(response.body()) : null;
  }

  private void awaitStatus(String requestId, String field, String value) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode node = status(requestId);
              assertThat(node).isNotNull();
              assertThat(node.path(field).asText()).isEqualTo(value);
            });
  }

  @Test
  void shouldAcceptAnswerRouteAndReportEachRequestOverHttp() throws Exception {
    for (String id : List.of("it-ok", "it-spam", "it-unsure")) {
      InferenceRequest request = Fixtures.request(id).build();
      send(topics.requestsInbound(), id, request);
    }
    for (String id : List.of("it-ok", "it-spam", "it-unsure")) {
      awaitStatus(id, "state", "ACCEPTED");
    }

    send(topics.responses(), "it-ok", Fixtures.response("it-ok", "news", 0.95f).build());
    send(topics.responses(), "it-spam", Fixtures.response("it-spam", "spam", 0.97f).build());
    send(topics.responses(), "it-unsure", Fixtures.response("it-unsure", "news", 0.5f).build());

    awaitStatus("it-ok", "decision", "APPROVED");
    awaitStatus("it-spam", "decision", "BLOCKED");
    awaitStatus("it-unsure", "decision", "REVIEW");
    assertThat(status("it-spam").path("state").asText()).isEqualTo("ANSWERED");
    assertThat(status("it-spam").path("labels").get(0).path("label").asText()).isEqualTo("spam");

    send(topics.requestsInbound(), "it-ok", Fixtures.request("it-ok").build()); // duplicate
    awaitStatus("it-ok", "duplicatesRejected", "1");

    // what Prometheus scrapes on the same port
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () -> {
              String scrape = get("/metrics");
              assertThat(scrape)
                  .contains("expertflow_streams_topology_running{topology=\"intake\"} 1.0")
                  .contains("expertflow_streams_compliance_decisions_total{decision=\"blocked\"}")
                  .contains(
                      "expertflow_streams_dead_letters_total{reason=\"duplicate\",stage=\"intake\"}")
                  .containsPattern(
                      "kafka_stream_thread_process_total\\{[^}]*topology=\"compliance\"")
                  // the status lookups above, timed with a histogram for p99
                  .containsPattern(
                      "expertflow_streams_http_requests_seconds_count\\{code=\"2xx\",path=\"/v1/requests/\"} [1-9]")
                  .contains("expertflow_streams_http_requests_seconds_bucket{code=\"2xx\"");
            });
  }

  @Test
  void shouldRefuseASecondAppOnTheSameStateFolderAndKeepTheFirstRunning() {
    assertThatThrownBy(() -> StreamsApp.start(config, registry))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("the streams state folder " + config.stateDir())
        .hasMessageContaining("is in use by another streams app")
        .hasMessageContaining("--state-dir");

    assertThat(app.isRunning()).isTrue();
  }

  @Test
  void shouldSayTheMemoryIsOffWhereItIsNotServed() throws Exception {
    HttpResponse<String> similar =
        http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.httpPort().getAsInt() + "/v1/similar/r1"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(similar.statusCode()).isEqualTo(501);
    assertThat(similar.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(similar.body())
        .contains("\"error\"")
        .contains("the document memory is off on this instance")
        .contains("memory.enabled=true");
  }

  @Test
  void shouldAnswerAPathItDoesNotServeInJsonAndSendABrowserAtTheRootToTheConsole()
      throws Exception {
    String base = "http://127.0.0.1:" + app.httpPort().getAsInt();
    HttpResponse<String> unknown =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/v2/requests/r1")).build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> root =
        http.send(
            HttpRequest.newBuilder(URI.create(base + "/")).build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(unknown.body()).contains("no such path /v2/requests/r1").contains("/v1/requests/");
    assertThat(root.statusCode()).isEqualTo(303);
    assertThat(root.headers().firstValue("Location")).contains("/console/");
  }

  private String get(String path) throws Exception {
    return http.send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + app.httpPort().getAsInt() + path))
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }

  @Test
  void shouldEmitExactlyTwoClosedWeeklyWindowsPerExpert() throws Exception {
    String requestId = "it-feedback";
    send(topics.responses(), requestId, Fixtures.response(requestId, "news", 0.95f).build());
    // week 1: three events, two negative; week 2: one event; then one event in week 3 per expert
    // partition moves stream time past week 2's end + grace
    send(topics.feedback(), requestId, feedback("f1", requestId, W1.plus(Duration.ofDays(1)), -1));
    send(topics.feedback(), requestId, feedback("f2", requestId, W1.plus(Duration.ofDays(2)), 1));
    send(topics.feedback(), requestId, feedback("f3", requestId, W1.plus(Duration.ofDays(3)), -1));
    send(topics.feedback(), requestId, feedback("f4", requestId, W1.plus(Duration.ofDays(8)), 1));
    send(topics.feedback(), requestId, feedback("f5", requestId, W1.plus(Duration.ofDays(15)), 1));

    List<ExpertWindowStats> closed = new ArrayList<>();
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "streams-it-stats");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (KafkaConsumer<String, ExpertWindowStats> consumer =
        new KafkaConsumer<>(
            props,
            new StringDeserializer(),
            new AvroDeserializer<>(registry, ExpertWindowStats.class))) {
      consumer.subscribe(List.of(topics.expertStats()));
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(500)).forEach(r -> closed.add(r.value()));
                return closed.size() >= 4;
              });
      // anything more would be a second emission of a window or an unclosed week 3
      consumer.poll(Duration.ofSeconds(3)).forEach(r -> closed.add(r.value()));
    }

    assertThat(closed)
        .extracting(s -> s.getExpert() + "@" + s.getWindowStart())
        .containsExactlyInAnyOrder(
            "17@" + W1, "3@" + W1, "17@" + W1.plus(WEEK), "3@" + W1.plus(WEEK));
    assertThat(closed)
        .filteredOn(s -> s.getWindowStart().equals(W1))
        .allSatisfy(
            s -> {
              assertThat(s.getCount()).isEqualTo(3);
              assertThat(s.getNegatives()).isEqualTo(2);
            });
    assertThat(closed)
        .filteredOn(s -> s.getWindowStart().equals(W1.plus(WEEK)))
        .allSatisfy(s -> assertThat(s.getCount()).isEqualTo(1));
  }

  private static FeedbackEvent feedback(String id, String requestId, Instant at, int rating) {
    return Fixtures.feedback(id, requestId, at).setRating(rating).build();
  }
}
