package io.expertflow.streams.console;

import static io.expertflow.streams.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.avro.ReviewDecision;
import io.expertflow.avro.ReviewVerdict;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.testsupport.HeadlessChromium;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.slf4j.LoggerFactory;

/**
 * The console in headless Chromium against the whole streams app on the real broker and schema
 * registry: a reviewer corrects a label in the review queue and the decision and the feedback event
 * arrive on their topics while the item leaves the queue; a job's page shows its answered count
 * grow while documents are answered. Screenshots of both pages go to {@code target/console/}. This
 * app has no tokens file, so the console answers loopback callers only, each acting for every
 * tenant; {@link ConsoleSignInIT} signs tenants in with tokens and keeps them apart.
 */
@WithLocalStack
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleIT {
  private static final Path SCREENSHOTS = Path.of("target", "console");
  private static final String REVIEW_TEXT =
      "Dear team, the match report from Saturday: our side won three to one after extra time.";

  private final HttpClient http =
      HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
  private final ConcurrentLinkedQueue<Exception> sendErrors = new ConcurrentLinkedQueue<>();
  private LocalStack stack;
  private TopicNames topics;
  private SchemaRegistryClient registry;
  private KafkaProducer<String, SpecificRecord> producer;
  private StreamsApp app;
  private ChromeDriver browser;
  private String base;
  private final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
  private final Logger ours = (Logger) LoggerFactory.getLogger("io.expertflow");
  private Level ourLevel;

  @BeforeAll
  void start(LocalStack stack, @TempDir Path dir) throws Exception {
    this.stack = stack;
    ourLevel = ours.getLevel();
    ours.setLevel(Level.TRACE);
    logs.start();
    root.addAppender(logs);
    TopicCatalog catalog = stack.isolatedTopics("console");
    topics = TopicNames.of(catalog);
    registry = stack.registryClient();
    Path rules = dir.resolve("rules.yaml");
    Files.writeString(
        rules,
        """
        default: APPROVED
        rules:
          - id: low-confidence
            decision: REVIEW
            when: {confidence_below: 0.6}
        """);
    StreamsAppConfig config =
        StreamsAppConfig.builder()
            .bootstrapServers(stack.bootstrapServers())
            .schemaRegistryUrl(stack.schemaRegistryUrl())
            .applicationId("console-it-" + catalog.prefix().replace(".", ""))
            .topicPrefix(catalog.prefix())
            .stateDir(dir.resolve("state"))
            .instanceId("it")
            .rulesFile(rules)
            .httpBind("0.0.0.0")
            .advertisedHost("127.0.0.1")
            .httpPort(0)
            .build();
    app = StreamsApp.start(config, registry);
    producer =
        new KafkaProducer<>(
            new HashMap<>(stack.clientProperties()),
            new StringSerializer(),
            new AvroSerializer<>(registry, false));
    base = "http://127.0.0.1:" + app.httpPort().getAsInt();
    await().atMost(Duration.ofSeconds(120)).until(app::isRunning);
    Files.createDirectories(SCREENSHOTS);
    browser = HeadlessChromium.start(dir, 1280, 1100);
  }

  @AfterAll
  void stop() {
    root.detachAppender(logs);
    ours.setLevel(ourLevel);
    if (browser != null) {
      browser.quit();
    }
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

  private static InferenceResponse response(String id, String label, float score, long second) {
    return Fixtures.response(id, label, score)
        .setProducedAt(T0.plusSeconds(second))
        .setLabels(
            List.of(
                new LabelScore(label, score),
                new LabelScore("sports", (1 - score) / 2),
                new LabelScore("other", (1 - score) / 2)))
        .build();
  }

  private void open(String path) {
    browser.get(base + path);
  }

  private Optional<WebElement> article(String requestId) {
    return browser.findElements(By.cssSelector("article")).stream()
        .filter(a -> requestId.equals(a.getDomAttribute("data-request-id")))
        .findFirst();
  }

  private void screenshot(String name) throws Exception {
    Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
    Files.copy(shot, SCREENSHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String form) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(base + "/console/review/decide"))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldLetAReviewerCorrectALabelAndSendTheDecisionAndTheFeedbackEventToTheirTopics()
      throws Exception {
    InferenceRequest request = Fixtures.request("rv-1").setText(REVIEW_TEXT).build();
    send(topics.requestsInbound(), "rv-1", request);
    send(topics.requestsInbound(), "rv-2", Fixtures.request("rv-2").build());
    send(topics.responses(), "rv-1", response("rv-1", "news", 0.5f, 10));
    send(topics.responses(), "rv-2", response("rv-2", "news", 0.55f, 20));
    send(topics.responses(), "rv-ok", response("rv-ok", "spam", 0.95f, 30)); // approved

    // the reviewer opens the queue: oldest answer first, with its rule, labels, experts and text
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              open("/console/review");
              WebElement item = article("rv-1").orElseThrow();
              assertThat(item.getText()).contains(REVIEW_TEXT).contains("low-confidence");
              assertThat(article("rv-2")).isPresent();
            });
    List<String> order =
        browser.findElements(By.cssSelector("article")).stream()
            .map(a -> a.getDomAttribute("data-request-id"))
            .toList();
    assertThat(order).containsSubsequence("rv-1", "rv-2").doesNotContain("rv-ok");
    WebElement item = article("rv-1").orElseThrow();
    assertThat(item.getText())
        .contains("news 0.50")
        .contains("17 (0.75)")
        .contains("minilm-moe v1");
    assertThat(browser.getPageSource()).contains("loopback");
    screenshot("console-review.png");

    // bad input gets a 400 that says what to fix, and changes nothing
    assertThat(post("decision=APPROVED&reviewer=ana").statusCode()).isEqualTo(400);
    HttpResponse<String> unknown = post("request_id=nope&decision=APPROVED&reviewer=ana");
    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(unknown.body()).contains("not in the review queue");
    HttpResponse<String> badLabel =
        post("request_id=rv-2&decision=CORRECTED&reviewer=ana&label=weather");
    assertThat(badLabel.statusCode()).isEqualTo(400);
    assertThat(badLabel.body()).contains("not in the label set").contains("sports");
    assertThat(post("request_id=rv-2&decision=CORRECTED&reviewer=ana").statusCode()).isEqualTo(400);
    assertThat(post("request_id=rv-2&decision=MAYBE&reviewer=ana").statusCode()).isEqualTo(400);
    assertThat(post("request_id=rv-2&decision=APPROVED").body()).contains("Reviewer");

    // the reviewer corrects the label with the keyboard-usable form
    item = article("rv-1").orElseThrow();
    WebElement reviewer = item.findElement(By.name("reviewer"));
    reviewer.clear();
    reviewer.sendKeys("Ana Reviewer");
    item.findElement(By.cssSelector("select[name=label] option[value=sports]")).click();
    HeadlessChromium.clickAndAwait(
        item.findElement(By.cssSelector("button[value=CORRECTED]")),
        () -> !browser.findElements(By.cssSelector("[role=status]")).isEmpty());
    assertThat(browser.getPageSource()).contains("role=\"status\"");
    assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
        .contains("CORRECTED")
        .contains("rv-1");

    List<ReviewDecision> decisions = readUntil(topics.reviewDecisions(), ReviewDecision.class, 1);
    assertThat(decisions)
        .singleElement()
        .satisfies(
            d -> {
              assertThat(d.getRequestId()).isEqualTo("rv-1");
              assertThat(d.getDecision()).isEqualTo(ReviewVerdict.CORRECTED);
              assertThat(d.getCorrectedLabel()).isEqualTo("sports");
              assertThat(d.getPredictedLabel()).isEqualTo("news");
              assertThat(d.getReviewer()).isEqualTo("Ana Reviewer");
              assertThat(d.getDecidingRule()).isEqualTo("low-confidence");
            });
    List<FeedbackEvent> feedback = readUntil(topics.feedback(), FeedbackEvent.class, 1);
    assertThat(feedback)
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.getRequestId()).isEqualTo("rv-1");
              assertThat(f.getCorrectedLabel()).isEqualTo("sports");
              assertThat(f.getSource()).isEqualTo("review:Ana Reviewer");
              assertThat(f.getFeedbackId()).isEqualTo(decisions.get(0).getFeedbackId());
            });

    // the decided item leaves the queue; the other stays
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              open("/console/review");
              assertThat(article("rv-1")).isEmpty();
              assertThat(article("rv-2")).isPresent();
            });
    // and a second decision on it is refused
    assertThat(post("request_id=rv-1&decision=APPROVED&reviewer=ana").statusCode()).isEqualTo(400);
    // the text was shown to the reviewer, and never logged
    assertThat(List.copyOf(logs.list))
        .isNotEmpty()
        .noneMatch(
            e ->
                e.getFormattedMessage().contains(REVIEW_TEXT)
                    || (e.getThrowableProxy() != null
                        && ThrowableProxyUtil.asString(e.getThrowableProxy())
                            .contains(REVIEW_TEXT)));
  }

  private <T extends SpecificRecord> List<T> readUntil(String topic, Class<T> type, int count) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, "console-it-" + topic);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<T> records = new ArrayList<>();
    try (KafkaConsumer<String, T> consumer =
        new KafkaConsumer<>(
            props, new StringDeserializer(), new AvroDeserializer<>(registry, type))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(300)).forEach(r -> records.add(r.value()));
                return records.size() >= count;
              });
    }
    return records;
  }

  @Test
  void shouldShowAJobsProgressGrowWhileItsDocumentsAreAnswered() throws Exception {
    String job = "console-job-7a1b2c3d";
    int total = 6;
    for (int i = 0; i < total; i++) {
      String id = job + "/" + String.format("%032x", i);
      send(
          topics.requestsInbound(),
          id,
          Fixtures.request(id)
              .setJobId(job)
              .setAttributes(Map.of("job.total", String.valueOf(total), "job.seq", "" + i))
              .build());
    }
    answerJob(job, 0, 2);
    awaitAnswered(job, 2);
    answerJob(job, 2, 4);
    awaitAnswered(job, 4);
    assertThat(browser.findElement(By.id("job-progress")).getDomAttribute("value")).isEqualTo("4");
    assertThat(browser.findElement(By.id("labels-table")).getText()).contains("news");
    assertThat(browser.findElements(By.cssSelector("figure svg rect"))).hasSizeGreaterThan(1);
    screenshot("console-job.png");
    answerJob(job, 4, 6);
    awaitAnswered(job, 6);
    assertThat(browser.findElement(By.id("progress-text")).getText()).contains("DONE");

    open("/console/jobs");
    assertThat(browser.findElement(By.linkText(job)).getDomAttribute("href"))
        .isEqualTo("/console/jobs/" + job);

    // the export link answers one line per document, in submission order
    HttpResponse<String> export = get("/v1/jobs/" + job + "/export?format=csv");
    assertThat(export.statusCode()).isEqualTo(200);
    List<String> lines = export.body().lines().toList();
    assertThat(lines).hasSize(total + 1);
    assertThat(lines.get(1)).startsWith("0," + job + "/");
    assertThat(lines.get(total)).startsWith((total - 1) + "," + job + "/");
    // a job nothing is known of is a 404, also as CSV (whose header alone is no export)
    assertThat(get("/v1/jobs/no-such-job-0000/export?format=csv").statusCode()).isEqualTo(404);
    // the API answers its errors in JSON, as every /v1/ answer
    HttpResponse<String> xml = get("/v1/jobs/" + job + "/export?format=xml");
    assertThat(xml.statusCode()).isEqualTo(400);
    assertThat(xml.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(xml.body())
        .isEqualTo("{\"error\":\"unknown export format 'xml'; use jsonl or csv\"}");
  }

  private void answerJob(String job, int from, int to) {
    for (int i = from; i < to; i++) {
      String id = job + "/" + String.format("%032x", i);
      send(topics.responses(), id, response(id, i % 2 == 0 ? "news" : "sports", 0.9f, 5L * i));
    }
  }

  private void awaitAnswered(String job, int answered) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              open("/console/jobs/" + job);
              assertThat(browser.findElement(By.id("answered")).getText())
                  .isEqualTo(String.valueOf(answered));
            });
  }

  @Test
  void shouldListTheModelVersionsWithTheirFiguresAndTheServedVersion() {
    ModelVersion published = version("u1", ModelVersionState.PUBLISHED, 0.42, 1);
    ModelVersion rejected = version("u2", ModelVersionState.REJECTED, 0.10, 2);
    send(topics.modelVersions(), "demo-model@u1", published);
    send(topics.modelVersions(), "demo-model@u2", rejected);
    send(topics.modelVersions(), "demo-model", published);

    open("/console/versions");

    assertThat(browser.findElement(By.id("serving-demo-model")).getText()).contains("u1");
    String history = browser.findElement(By.tagName("table")).getText();
    assertThat(history)
        .contains("u1 (served)")
        .contains("REJECTED")
        .contains("836 of 321,536 (0.26 %)")
        .contains("0.000 → 0.420")
        .contains("guard set too low");
    assertThat(history.indexOf("u2")).isLessThan(history.indexOf("u1"));
  }

  private static ModelVersion version(
      String id, ModelVersionState state, double holdoutAfter, int days) {
    return ModelVersion.newBuilder()
        .setModelName("demo-model")
        .setVersion(id)
        .setParentVersion("base")
        .setBaseBundleSha256("ab")
        .setState(state)
        .setChangedExperts(List.of(3, 7))
        .setParametersChanged(836)
        .setParametersTotal(321_536)
        .setMetricsBefore(Map.of("holdout_accuracy", 0.0, "guard_accuracy", 0.735))
        .setMetricsAfter(Map.of("holdout_accuracy", holdoutAfter, "guard_accuracy", 0.731))
        .setReason(state == ModelVersionState.REJECTED ? "guard set too low" : "better")
        .setCreatedAt(T0.plus(Duration.ofDays(days)))
        .build();
  }

  @Test
  void shouldRefuseCallersThatAreNotOnTheLoopbackInterface() throws Exception {
    InetAddress other = nonLoopbackAddress();
    Assumptions.assumeTrue(
        other != null, "this machine has no non-loopback IPv4 address to call from");
    HttpResponse<String> refused =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + other.getHostAddress()
                            + ":"
                            + app.httpPort().getAsInt()
                            + "/console/review"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).contains("loopback");
    // the JSON API is not the console: it still answers
    HttpResponse<String> api =
        http.send(
            HttpRequest.newBuilder(
                    URI.create(
                        "http://"
                            + other.getHostAddress()
                            + ":"
                            + app.httpPort().getAsInt()
                            + "/healthz"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(api.statusCode()).isEqualTo(200);
  }

  private static InetAddress nonLoopbackAddress() throws Exception {
    for (NetworkInterface nic :
        java.util.Collections.list(NetworkInterface.getNetworkInterfaces())) {
      if (!nic.isUp() || nic.isLoopback()) {
        continue;
      }
      for (InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
        if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
          return a;
        }
      }
    }
    return null;
  }
}
