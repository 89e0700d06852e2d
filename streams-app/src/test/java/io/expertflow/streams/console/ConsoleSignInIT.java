package io.expertflow.streams.console;

import static io.expertflow.streams.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.status.CallerTokens;
import io.expertflow.testsupport.HeadlessChromium;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

/**
 * The console with API tokens, in headless Chromium against the streams app on the real broker and
 * registry: a caller is sent to the sign-in page; a signed-in tenant sees its own jobs and review
 * items and never another tenant's (the job's page answers as an unknown job); a reader sees the
 * queue without the decision form and a decision it posts anyway is refused; the export link works
 * with the sign-in cookie alone.
 */
@WithLocalStack
class ConsoleSignInIT {
  private static final String ACME = "acme-" + CallerTokens.newToken().substring(0, 8);
  private static final String ACME_TOKEN = CallerTokens.newToken();
  private static final String GLOBEX_TOKEN = CallerTokens.newToken();
  private static final String OPERATOR_TOKEN = CallerTokens.newToken();

  /**
   * A TEST DOUBLE of the version protocol's rollback (which lives in a module the streams app does
   * not depend on; {@code expertflow streams} gives the real one): records what the console asked.
   */
  private final List<String> rollbacksAsked = new java.util.concurrent.CopyOnWriteArrayList<>();

  @TempDir Path dir;
  private StreamsApp app;
  private ChromeDriver browser;
  private String base;

  @AfterEach
  void stop() {
    if (browser != null) {
      browser.quit();
    }
    if (app != null) {
      app.close();
    }
  }

  @Test
  void shouldShowEachSignedInTenantOnlyItsOwnJobsAndReviewItems(LocalStack stack) throws Exception {
    TopicCatalog catalog = stack.isolatedTopics("console-signin");
    TopicNames topics = TopicNames.of(catalog);
    Path tokens = dir.resolve("tokens");
    Files.writeString(
        tokens,
        ACME
            + ":"
            + CallerTokens.hash(ACME_TOKEN)
            + "\n"
            + "globex:"
            + CallerTokens.hash(GLOBEX_TOKEN)
            + ":reader\n*:"
            + CallerTokens.hash(OPERATOR_TOKEN)
            + ":operator\n");
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
    app =
        StreamsApp.start(
            StreamsAppConfig.builder()
                .bootstrapServers(stack.bootstrapServers())
                .schemaRegistryUrl(stack.schemaRegistryUrl())
                .applicationId("console-signin-" + catalog.prefix().replace(".", ""))
                .topicPrefix(catalog.prefix())
                .stateDir(dir.resolve("state"))
                .instanceId("it")
                .rulesFile(rules)
                .httpTokensFile(tokens)
                .httpBind("127.0.0.1")
                .advertisedHost("127.0.0.1")
                .httpPort(0)
                .build(),
            stack.registryClient(),
            (model, target, reason) -> {
              rollbacksAsked.add(model + " " + target + " " + reason);
              return target;
            });
    base = "http://127.0.0.1:" + app.httpPort().getAsInt();
    await().atMost(Duration.ofSeconds(120)).until(app::isRunning);

    // one job of two documents and one document held for review, all of tenant ACME
    String job = "signin-job-5e6f7a8b";
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(
            new HashMap<>(stack.clientProperties()),
            new StringSerializer(),
            new AvroSerializer<>(stack.registryClient(), false))) {
      for (int i = 0; i < 2; i++) {
        String id = job + "/" + i;
        send(
            producer,
            topics.requestsInbound(),
            id,
            Fixtures.request(id)
                .setTenant(ACME)
                .setJobId(job)
                .setAttributes(Map.of("job.total", "2", "job.seq", "" + i))
                .build());
        send(producer, topics.responses(), id, response(id, 0.9f));
      }
      send(
          producer,
          topics.requestsInbound(),
          "held-1",
          Fixtures.request("held-1").setTenant(ACME).build());
      send(producer, topics.responses(), "held-1", response("held-1", 0.5f));
      ModelVersion u1 =
          ModelVersion.newBuilder()
              .setModelName("signin-model")
              .setVersion("u1")
              .setParentVersion("base-1")
              .setBaseBundleSha256("ab")
              .setState(ModelVersionState.PUBLISHED)
              .setChangedExperts(List.of(3))
              .setParametersChanged(10)
              .setParametersTotal(1000)
              .setCreatedAt(T0)
              .build();
      send(producer, topics.modelVersions(), "signin-model@u1", u1);
      send(producer, topics.modelVersions(), "signin-model", u1);
    }

    browser = HeadlessChromium.start(dir, 1280, 1100);
    browser.get(base + "/console/jobs");
    assertThat(browser.getCurrentUrl()).endsWith("/console/signin");
    signIn("not-a-token");
    assertThat(browser.findElement(By.id("error")).getText()).contains("not known");

    // ACME, a reviewer: its job and its review item, with the decision form
    signIn(ACME_TOKEN);
    assertThat(browser.findElement(By.id("signed-in")).getText()).contains(ACME, "reviewer");
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptions()
        .untilAsserted(
            () -> {
              browser.get(base + "/console/jobs/" + job);
              assertThat(browser.findElement(By.id("answered")).getText()).isEqualTo("2");
            });
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(500))
        .untilAsserted(
            () -> {
              browser.get(base + "/console/review");
              assertThat(browser.findElements(By.cssSelector("article[data-request-id=held-1]")))
                  .hasSize(1);
            });
    assertThat(browser.findElements(By.cssSelector("form.decide"))).hasSize(1);
    assertThat(browser.findElement(By.cssSelector("article[data-request-id=held-1]")).getText())
        .contains(Fixtures.SECRET_TEXT);
    String cookie = browser.manage().getCookieNamed(CallerTokens.CONSOLE_COOKIE).getValue();
    HttpResponse<String> export =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(base + "/v1/jobs/" + job + "/export?format=csv"))
                    .header("Cookie", CallerTokens.CONSOLE_COOKIE + "=" + cookie)
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.body().lines()).hasSize(3);
    signOut();

    // GLOBEX, a reader of another tenant: nothing of ACME's, and no decision
    signIn(GLOBEX_TOKEN);
    browser.get(base + "/console/jobs");
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain(job);
    browser.get(base + "/console/jobs/" + job);
    assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Unknown job");
    browser.get(base + "/console/versions");
    assertThat(browser.findElements(By.cssSelector("form.rollback"))).isEmpty();
    browser.get(base + "/console/review");
    assertThat(browser.findElements(By.cssSelector("article"))).isEmpty();
    assertThat(browser.findElement(By.tagName("main")).getText()).doesNotContain("held-1");
    HttpResponse<String> decision =
        postSignedIn("/console/review/decide", "request_id=held-1&decision=APPROVED&reviewer=mal");
    assertThat(decision.statusCode()).isEqualTo(403);
    assertThat(decision.body()).contains("role is reader");
    HttpResponse<String> rollback =
        postSignedIn("/console/versions/rollback", "model=signin-model&version=base-1&reason=x");
    assertThat(rollback.statusCode()).isEqualTo(403);
    assertThat(rollbacksAsked).isEmpty();

    // an operator of every tenant rolls the model back to the base bundle from the versions page
    signOut();
    signIn(OPERATOR_TOKEN);
    browser.get(base + "/console/versions");
    assertThat(browser.findElement(By.id("serving-signin-model")).getText()).contains("u1");
    WebElement toBase =
        browser.findElements(By.cssSelector("form.rollback")).stream()
            .filter(f -> f.getText().contains("Serve base-1 again"))
            .findFirst()
            .orElseThrow();
    toBase.findElement(By.name("reason")).sendKeys("u1 misroutes invoices");
    HeadlessChromium.clickAndAwait(
        toBase.findElement(By.cssSelector("button")),
        () -> !browser.findElements(By.id("message")).isEmpty());
    assertThat(browser.findElement(By.id("message")).getText())
        .contains("signin-model now serves base-1");
    assertThat(rollbacksAsked)
        .containsExactly("signin-model base-1 u1 misroutes invoices (console)");
  }

  /** A form posted with the browser's sign-in cookie, as a page of another tab would. */
  private HttpResponse<String> postSignedIn(String path, String form) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(base + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header(
                    "Cookie",
                    CallerTokens.CONSOLE_COOKIE
                        + "="
                        + browser.manage().getCookieNamed(CallerTokens.CONSOLE_COOKIE).getValue())
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private void signIn(String token) {
    browser.get(base + "/console/signin");
    browser.findElement(By.id("token")).sendKeys(token);
    WebElement submit =
        browser.findElement(By.cssSelector("form[action='/console/signin'] button"));
    HeadlessChromium.clickAndAwait(
        submit,
        () ->
            !browser.findElements(By.id("signed-in")).isEmpty()
                || !browser.findElements(By.id("error")).isEmpty());
  }

  /** Signs out from the page shown and waits for the sign-in page the form redirects to. */
  private void signOut() {
    HeadlessChromium.clickAndAwait(
        browser.findElement(By.cssSelector("form[action='/console/signout'] button")),
        () -> browser.getCurrentUrl().endsWith("/console/signin"));
  }

  private static InferenceResponse response(String id, float score) {
    return Fixtures.response(id, "news", score)
        .setTenant(ACME)
        .setProducedAt(T0)
        .setLabels(
            List.of(
                new LabelScore("news", score),
                new LabelScore("sports", (1 - score) / 2),
                new LabelScore("other", (1 - score) / 2)))
        .build();
  }

  private static void send(
      KafkaProducer<String, SpecificRecord> producer, String topic, String key, SpecificRecord v)
      throws Exception {
    producer.send(new ProducerRecord<>(topic, key, v)).get();
  }
}
