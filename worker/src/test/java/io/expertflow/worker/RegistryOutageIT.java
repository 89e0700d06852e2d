package io.expertflow.worker;

import static io.expertflow.worker.DeliveryChecks.awaitOutcomes;
import static io.expertflow.worker.DeliveryChecks.report;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.local.RegistryGate;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

/**
 * A worker whose schema registry goes away (a {@link RegistryGate} in front of the real registry,
 * shut) before it has read a single request: it must hold the requests, say it is not ready, log
 * the outage once, dead-letter nothing, and answer every request exactly once when the registry is
 * back. The same for the consumer-group loop (exactly-once) and the share-group loop, which share
 * the handling of registry outages.
 */
@WithLocalStack
class RegistryOutageIT {
  @TempDir Path bundleDir;

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"exactly_once", "share_group"})
  void shouldHoldRequestsThroughARegistryOutageAndAnswerEachOnceWhenItIsBack(
      String mode, LocalStack stack) throws Exception {
    ModelBundle bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
    TopicCatalog topics = stack.isolatedTopics("RegistryOutageIT-" + mode);
    int count = 300;
    List<String> ids = new ArrayList<>(count);
    try (RequestFeed feed = new RequestFeed(stack, topics)) {
      for (int i = 0; i < count; i++) {
        InferenceRequest r = Requests.document("outage-" + i, i);
        ids.add(r.getRequestId());
        feed.send(r);
      }
      feed.flush();
    }
    ListAppender<ILoggingEvent> log = captureLog();
    Map<String, String> props =
        WorkerUnderTest.properties("outage-worker-" + mode, mode, topics.prefix());
    props.put("http.port", "0");
    try (RegistryGate gate = new RegistryGate(stack.schemaRegistryUrl());
        OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        WorkerUnderTest worker =
            WorkerUnderTest.start(
                props,
                bundle,
                WorkerUnderTest.tokenization(bundle),
                stack.clientProperties(),
                new HttpSchemaRegistryClient(
                    SchemaRegistryConfig.builder()
                        .url(gate.url())
                        .maxRetries(0)
                        .requestTimeout(Duration.ofSeconds(2))
                        .build()))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> warnings(log) == 1 && readiness(worker) == 503);
      long outageStarted = System.nanoTime();
      // the backoff (0.5 s, 1 s, 2 s) retries meanwhile; nothing may come out
      await()
          .during(Duration.ofSeconds(4))
          .atMost(Duration.ofSeconds(10))
          .until(() -> ledger.poll().answered() + ledger.deadLetters().size() == 0);
      assertThat(worker.failure()).as("the worker loop kept running").isEmpty();

      gate.open();
      awaitOutcomes(ledger, count);
      long heldMs = (System.nanoTime() - outageStarted) / 1_000_000;
      ledger.readToEnd(Duration.ofSeconds(30));

      assertThat(ledger.deadLetters()).as("dead letters").isEmpty();
      assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.responses()).hasSize(count);
      await().atMost(Duration.ofSeconds(10)).until(() -> readiness(worker) == 200);
      assertThat(warnings(log)).as("WARN lines about the one outage").isEqualTo(1);
      assertThat(recoveries(log)).as("INFO lines saying it ended").isEqualTo(1);
      report(
          "registry outage (%s): %d requests held %d ms with the registry away, then %d responses,"
              + " %d dead letters, %d duplicates; one WARN and one INFO line",
          mode,
          count,
          heldMs,
          ledger.responses().size(),
          ledger.deadLetters().size(),
          ledger.duplicates().size());
    } finally {
      ((Logger) LoggerFactory.getLogger(RegistryOutage.class)).detachAppender(log);
    }
  }

  private static ListAppender<ILoggingEvent> captureLog() {
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    ((Logger) LoggerFactory.getLogger(RegistryOutage.class)).addAppender(appender);
    return appender;
  }

  private static long warnings(ListAppender<ILoggingEvent> log) {
    return List.copyOf(log.list).stream().filter(e -> e.getLevel() == Level.WARN).count();
  }

  private static long recoveries(ListAppender<ILoggingEvent> log) {
    return List.copyOf(log.list).stream()
        .filter(e -> e.getLevel() == Level.INFO && e.getFormattedMessage().contains("answers"))
        .count();
  }

  private static int readiness(WorkerUnderTest worker) throws Exception {
    HttpResponse<Void> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + worker.app().opsPort() + "/readyz"))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return r.statusCode();
  }
}
