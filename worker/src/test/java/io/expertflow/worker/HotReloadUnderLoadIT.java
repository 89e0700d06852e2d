package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.expertflow.versions.VersionCatalog;
import io.expertflow.versions.VersionHistory;
import io.expertflow.versions.VersionRollback;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model update and a rollback while load flows through two exactly-once workers, on the real
 * broker and registry with the tiny ONNX bundle: no request fails, none is lost or duplicated (as a
 * read_committed reader sees it), and each worker answers on the base version, then only on the
 * update from its swap on, then only on the base version again after the rollback.
 */
@WithLocalStack
class HotReloadUnderLoadIT {
  private static final Logger LOG = LoggerFactory.getLogger(HotReloadUnderLoadIT.class);
  private static final Duration PATIENCE = Duration.ofMinutes(2);
  private static final String UPDATE = "u-under-load";

  @TempDir static Path bundleDir;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeBundle() {
    bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
  }

  @Test
  void shouldSwapBothWorkersToTheUpdateAndBackWithoutFailingLosingOrDuplicatingARequest(
      LocalStack stack) throws Exception {
    TopicCatalog topics = stack.isolatedTopics("HotReloadUnderLoadIT");
    String base = bundle.manifest().version();
    List<String> ids = Collections.synchronizedList(new ArrayList<>());
    try (HandMadeVersions versions = new HandMadeVersions(stack, topics, bundle);
        VersionRollback rollback = rollback(stack, topics);
        OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics);
        WorkerUnderTest a = worker(stack, topics, "reload-a");
        WorkerUnderTest b = worker(stack, topics, "reload-b")) {
      ScheduledExecutorService load = Executors.newSingleThreadScheduledExecutor();
      AtomicInteger sent = new AtomicInteger();
      load.scheduleAtFixedRate(
          () -> {
            for (int i = 0; i < 2; i++) {
              InferenceRequest r = Requests.document("load-" + sent.get(), sent.getAndIncrement());
              ids.add(r.getRequestId());
              feed.send(r);
            }
          },
          0,
          10,
          TimeUnit.MILLISECONDS);

      awaitResponses(ledger, r -> r.getModelVersion().equals(base), "reload-a", "reload-b");
      ModelVersion update = versions.publish(UPDATE, 5);
      await().atMost(PATIENCE).until(() -> servingOn(UPDATE, a, b));
      awaitResponses(ledger, r -> r.getModelVersion().equals(UPDATE), "reload-a", "reload-b");

      ModelVersion back = rollback.rollback(update.getModelName(), base, "test rollback");
      await().atMost(PATIENCE).until(() -> servingOn(base, a, b));
      Map<String, Instant> lastUpdateAnswer = lastAnswerOn(ledger, UPDATE);
      awaitResponses(
          ledger,
          r ->
              r.getModelVersion().equals(base)
                  && r.getProducedAt().isAfter(lastUpdateAnswer.get(r.getWorkerId())),
          "reload-a",
          "reload-b");

      load.shutdown();
      assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
      feed.flush();
      await()
          .atMost(PATIENCE)
          .pollInSameThread()
          .pollInterval(Duration.ofMillis(50))
          .until(() -> ledger.poll().answered() >= ids.size());
      a.close();
      b.close();
      ledger.readToEnd(PATIENCE);

      assertThat(back.getState()).isEqualTo(ModelVersionState.ROLLBACK);
      assertThat(back.getParentVersion()).isEqualTo(UPDATE);
      assertThat(ledger.unanswered(ids)).as("requests without a response").isEmpty();
      assertThat(ledger.duplicates()).as("requests answered more than once").isEmpty();
      assertThat(ledger.deadLetters()).as("dead letters").isEmpty();
      assertThat(ledger.responses()).hasSize(ids.size());
      assertThat(ledger.responses())
          .allSatisfy(r -> assertThat(r.getStatus()).isEqualTo(ResponseStatus.OK));
      for (String worker : List.of("reload-a", "reload-b")) {
        assertBaseThenUpdateThenBase(ledger.responses(), worker, base);
      }
      assertThat(a.failure()).isEmpty();
      assertThat(b.failure()).isEmpty();
      LOG.info(
          "{} requests answered once each; responses by worker and version: {}",
          ids.size(),
          ledger.responses().stream()
              .collect(
                  java.util.stream.Collectors.groupingBy(
                      r -> r.getWorkerId() + "/" + r.getModelVersion(),
                      java.util.TreeMap::new,
                      java.util.stream.Collectors.counting())));
    }
  }

  @Test
  void shouldRefuseToServeARejectedOrUnknownVersionAndRollBackToAPublishedOne(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("HotReloadUnderLoadIT-refusals");
    TopicNames names = new TopicNames(topics.prefix());
    try (HandMadeVersions versions = new HandMadeVersions(stack, topics, bundle);
        VersionRollback rollback = rollback(stack, topics)) {
      String model = versions.base().name();
      versions.publish("v1", 2);
      versions.reject("v2-rejected", 4);
      versions.publish("v3", 6);

      assertThatThrownBy(() -> rollback.rollback(model, "v2-rejected", "test"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("v2-rejected was REJECTED");
      assertThatThrownBy(() -> rollback.rollback(model, "v9", "test"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("v9")
          .hasMessageContaining("is not on " + names.modelVersions());
      assertThatThrownBy(() -> rollback.rollback(model, "v3", "test"))
          .hasMessageContaining("serves version v3 already");
      assertThatThrownBy(() -> rollback.rollback("no-such-model", "v1", "test"))
          .hasMessageContaining("no-such-model")
          .hasMessageContaining(model);

      ModelVersion record = rollback.rollback(model, "v1", "test");
      VersionCatalog after =
          VersionHistory.read(names, stack.clientProperties(), stack.registryClient(), PATIENCE)
              .get(model);

      assertThat(record.getExpertVersions()).containsOnlyKeys("2");
      assertThat(after.serving()).map(ModelVersion::getVersion).contains("v1");
      assertThat(after.serving()).map(ModelVersion::getState).contains(ModelVersionState.ROLLBACK);
      assertThat(after.history())
          .extracting(ModelVersion::getVersion)
          .containsExactly("v1", "v2-rejected", "v3");
    }
  }

  /**
   * In one worker's responses, ordered by when they were produced: the update's answers form one
   * stretch, with base answers before and after it and none inside.
   */
  private static void assertBaseThenUpdateThenBase(
      List<InferenceResponse> all, String worker, String base) {
    List<InferenceResponse> mine =
        all.stream().filter(r -> r.getWorkerId().equals(worker)).toList();
    List<Instant> update =
        mine.stream()
            .filter(r -> r.getModelVersion().equals(UPDATE))
            .map(InferenceResponse::getProducedAt)
            .sorted()
            .toList();
    assertThat(update).as("%s answers on the update", worker).isNotEmpty();
    Instant first = update.get(0);
    Instant last = update.get(update.size() - 1);
    List<InferenceResponse> onBase =
        mine.stream().filter(r -> r.getModelVersion().equals(base)).toList();
    assertThat(mine)
        .as("%s answers name only the two versions", worker)
        .hasSize(update.size() + onBase.size());
    assertThat(onBase)
        .as("%s answers on the base version while it served the update", worker)
        .noneMatch(r -> r.getProducedAt().isAfter(first) && r.getProducedAt().isBefore(last));
    assertThat(onBase)
        .as("%s answers on the base version before the update", worker)
        .anyMatch(r -> !r.getProducedAt().isAfter(first));
    assertThat(onBase)
        .as("%s answers on the base version after the rollback", worker)
        .anyMatch(r -> !r.getProducedAt().isBefore(last));
  }

  private static boolean servingOn(String version, WorkerUnderTest... workers) {
    for (WorkerUnderTest w : workers) {
      if (!w.app().servingVersion().equals(version)) {
        return false;
      }
    }
    return true;
  }

  /** Waits until each of {@code workers} has produced a response that {@code which} accepts. */
  private static void awaitResponses(
      OutcomeLedger ledger, Predicate<InferenceResponse> which, String... workers) {
    await()
        .atMost(PATIENCE)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(50))
        .until(
            () -> {
              List<InferenceResponse> seen = ledger.poll().responses();
              for (String w : workers) {
                if (seen.stream().noneMatch(r -> r.getWorkerId().equals(w) && which.test(r))) {
                  return false;
                }
              }
              return true;
            });
  }

  private static Map<String, Instant> lastAnswerOn(OutcomeLedger ledger, String version) {
    Map<String, Instant> last = new HashMap<>();
    for (InferenceResponse r : ledger.responses()) {
      if (r.getModelVersion().equals(version)) {
        last.merge(r.getWorkerId(), r.getProducedAt(), (x, y) -> x.isAfter(y) ? x : y);
      }
    }
    return last;
  }

  private static VersionRollback rollback(LocalStack stack, TopicCatalog topics) {
    return new VersionRollback(
        new TopicNames(topics.prefix()),
        stack.clientProperties(),
        stack.registryClient(),
        Clock.systemUTC());
  }

  private static WorkerUnderTest worker(LocalStack stack, TopicCatalog topics, String id) {
    Map<String, String> p =
        new HashMap<>(WorkerUnderTest.properties(id, "exactly_once", topics.prefix()));
    p.put("reload.poll.timeout.ms", "100");
    return WorkerUnderTest.start(
        p,
        bundle,
        WorkerUnderTest.tokenization(bundle),
        stack.clientProperties(),
        stack.registryClient());
  }
}
