package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hot reload wired into a whole worker, on the real broker and registry with the tiny ONNX bundle:
 * a worker that starts after an update serves it from its first request, serves each later version
 * without a restart, and with reload off serves its bundle as it is.
 */
@WithLocalStack
class WorkerHotReloadIT {
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  @TempDir static Path bundleDir;
  private static ModelBundle bundle;

  @BeforeAll
  static void writeBundle() {
    bundle = ModelBundles.tiny(bundleDir, WorkerUnderTest.LABELS);
  }

  @Test
  void shouldServeTheCurrentVersionFromTheFirstRequestAndEachNewOneWithoutARestart(
      LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("WorkerHotReloadIT-follow");
    try (HandMadeVersions versions = new HandMadeVersions(stack, topics, bundle);
        OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics)) {
      versions.publish("v1", 3);

      try (WorkerUnderTest worker = worker(stack, topics, "reload-late", Map.of())) {
        // the constructor returned only after catching up: no request can meet the bundle's head
        assertThat(worker.app().servingVersion()).isEqualTo("v1");
        List<String> first = send(feed, "first-", 20);
        awaitAnswered(ledger, 20);
        assertThat(versionsOf(ledger, first)).containsExactly("v1");

        versions.publish("v2", 7);
        await().atMost(PATIENCE).until(() -> worker.app().servingVersion().equals("v2"));
        List<String> second = send(feed, "second-", 20);
        awaitAnswered(ledger, 40);
        assertThat(versionsOf(ledger, second)).containsExactly("v2");
        assertThat(worker.app().follower()).isPresent();
        assertThat(worker.failure()).isEmpty();
      }
    }
  }

  @Test
  void shouldServeTheBundleAsItIsWhenReloadIsOff(LocalStack stack) {
    TopicCatalog topics = stack.isolatedTopics("WorkerHotReloadIT-off");
    try (HandMadeVersions versions = new HandMadeVersions(stack, topics, bundle);
        OutcomeLedger ledger = new OutcomeLedger(stack, topics);
        RequestFeed feed = new RequestFeed(stack, topics)) {
      versions.publish("v1", 3);

      try (WorkerUnderTest worker =
          worker(stack, topics, "reload-off", Map.of("reload.enabled", "false"))) {
        List<String> ids = send(feed, "off-", 10);
        awaitAnswered(ledger, 10);

        assertThat(worker.app().follower()).isEmpty();
        assertThat(versionsOf(ledger, ids)).containsExactly(bundle.manifest().version());
      }
    }
  }

  @Test
  void shouldRefuseToStartNamingTheTopicsWhenTheyAreMissing(LocalStack stack) {
    Map<String, String> p =
        new java.util.HashMap<>(
            WorkerUnderTest.properties("reload-missing", "exactly_once", "no-such-topics."));
    p.put("reload.catch.up.timeout.ms", "20000");
    WorkerConfig config = WorkerConfig.fromProperties(p);

    assertThatThrownBy(
            () ->
                new WorkerApp(
                    config,
                    PipelineConfig.defaults(),
                    WorkerUnderTest.tokenization(bundle),
                    WorkerUnderTest.engine(),
                    bundle,
                    stack.clientProperties(),
                    stack.registryClient()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no-such-topics.model-versions")
        .hasMessageContaining("does not exist")
        .hasMessageContaining("reload.enabled=false");
  }

  private static WorkerUnderTest worker(
      LocalStack stack, TopicCatalog topics, String id, Map<String, String> extra) {
    Map<String, String> p =
        new java.util.HashMap<>(WorkerUnderTest.properties(id, "exactly_once", topics.prefix()));
    p.put("reload.poll.timeout.ms", "100");
    p.putAll(extra);
    return WorkerUnderTest.start(
        p,
        bundle,
        WorkerUnderTest.tokenization(bundle),
        stack.clientProperties(),
        stack.registryClient());
  }

  private static List<String> send(RequestFeed feed, String prefix, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      InferenceRequest r = Requests.document(prefix + i, prefix.hashCode() + i);
      ids.add(r.getRequestId());
      feed.send(r);
    }
    feed.flush();
    return ids;
  }

  private static void awaitAnswered(OutcomeLedger ledger, int count) {
    await()
        .atMost(PATIENCE)
        .pollInSameThread()
        .pollInterval(Duration.ofMillis(50))
        .until(() -> ledger.poll().answered() >= count);
  }

  private static Set<String> versionsOf(OutcomeLedger ledger, List<String> ids) {
    Set<String> wanted = Set.copyOf(ids);
    return ledger.responses().stream()
        .filter(r -> wanted.contains(r.getRequestId()))
        .map(InferenceResponse::getModelVersion)
        .collect(Collectors.toSet());
  }
}
