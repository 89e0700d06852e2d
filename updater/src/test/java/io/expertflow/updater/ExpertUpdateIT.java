package io.expertflow.updater;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.avro.PrivacyCost;
import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeOutput;
import io.expertflow.operators.privacy.RdpAccountant;
import io.expertflow.operators.update.DpConfig;
import io.expertflow.operators.update.ExpertSelectionPolicy;
import io.expertflow.operators.update.FeedbackSamples;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.SimulatedFeedback;
import io.expertflow.operators.update.UpdateResult;
import io.expertflow.schemas.ops.OpsServer;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.PrivacyRecords;
import io.expertflow.versions.VersionRollback;
import io.expertflow.versions.VersionSummary;
import io.expertflow.worker.pipeline.ServingModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import io.expertflow.worker.reload.FollowerConfig;
import io.expertflow.worker.reload.HeadBuilder;
import io.expertflow.worker.reload.ModelVersionFollower;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The feedback loop's back half on a real broker: the updater learns a shifted label from a closed
 * window and publishes a version that a worker's follower serves; a window of nonsense feedback is
 * rejected and never served; a worker that starts afterwards rebuilds the served version from the
 * compacted topics alone.
 */
@WithLocalStack
class ExpertUpdateIT {
  private static final String MODEL = "synthetic";
  private static final String BASE_VERSION = "base-1";
  private static final String ENCODER = "synthetic-encoder@0123456789abcdef";
  private static final Instant WEEK_1 = Instant.parse("2024-06-03T00:00:00Z");
  private static final Instant WEEK_2 = WEEK_1.plus(Duration.ofDays(7));
  private static final Instant WEEK_3 = WEEK_2.plus(Duration.ofDays(7));

  private static SyntheticShift data;
  private static Engine engine;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void trainHead() {
    data = new SyntheticShift();
    engine =
        Engine.start(
            EngineConfig.defaults().withProvider(ExecutionProvider.CPU).withIntraOpThreads(1));
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  @Test
  void shouldServeAPublishedUpdateAndNeverARejectedOne(LocalStack stack, TopicCatalog topics)
      throws Exception {
    TopicNames names = new TopicNames(topics.prefix());
    SchemaRegistryClient registry = stack.registryClient();
    BaseModel base =
        new BaseModel(MODEL, BASE_VERSION, "bundle-sha", data.trained.weights(), ENCODER);
    HeadBuilder heads = HeadBuilder.onnx(engine, HeadSignature.defaults());
    ServingModelRef served = servedBase(heads, base);
    ModelVersionFollower follower = follower(stack, names, registry, base, heads, served);
    List<ModelVersion> outcomes = new CopyOnWriteArrayList<>();
    List<UpdateResult> results = new CopyOnWriteArrayList<>();
    UpdaterConfig config =
        UpdaterConfig.defaults()
            .withTopics(names)
            .withSettle(Duration.ofMillis(300))
            .withSelection(SelectionConfig.defaults().withParameterBudgetShare(0.05));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    UpdaterMetrics metrics = new UpdaterMetrics(meters);
    UpdaterService updater =
        new UpdaterService(
            config,
            stack.clientProperties(),
            registry,
            base,
            data.trained.reservoir(),
            data.guard,
            Clock.systemUTC(),
            (result, record, took) -> {
              metrics.updated(result, record, took);
              results.add(result);
              outcomes.add(record);
            });
    OpsServer ops = new OpsServer(0, meters::scrape, updater::ready);
    running.add(ops);
    start(updater, "updater");
    assertThat(follower.caughtUp()).succeedsWithin(Duration.ofSeconds(60)).isEqualTo(BASE_VERSION);
    double before = servedAccuracy(served, data.shiftedEvaluation);

    // week 1: users correct the answers on documents of the label the head never learned
    SimulatedFeedback users = new SimulatedFeedback(data.trained.weights(), BASE_VERSION);
    List<AttributedFeedback> week1 =
        ofEncoder(users.attributed(data.shifted, "w1-", WEEK_1), ENCODER);
    // the same week's feedback on answers of a bundle served before this one, over another
    // encoder: the update must not learn from its embeddings, nor choose experts by its counts
    // (the statistics topic counts both bundles' answers under the same expert ids)
    List<AttributedFeedback> earlierBundle =
        ofEncoder(
                users.attributed(data.shifted, "w1-earlier-", WEEK_1),
                "other-encoder@0000000000000000")
            .stream()
            .map(f -> AttributedFeedback.newBuilder(f).setModelVersion("b-earlier").build())
            .toList();
    List<AttributedFeedback> sent = new ArrayList<>(week1);
    sent.addAll(earlierBundle);
    send(stack, names, registry, sent, WEEK_1, WEEK_2);

    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == 1);
    ModelVersion published = outcomes.get(0);
    int fromThisEncoder =
        FeedbackSamples.from(
                week1,
                data.trained.weights().config().labels(),
                data.trained.weights().config().hidden())
            .samples()
            .size();
    assertThat(results.get(0).trainingFeedback() + results.get(0).holdout())
        .as("feedback samples the update used: only those of the bundle's encoder")
        .isEqualTo(fromThisEncoder)
        .isPositive();
    assertThat(results.get(0).plan().decisions())
        .as("experts chosen by the counts of this bundle's answers alone")
        .isEqualTo(
            new ExpertSelectionPolicy(config.selection())
                .plan(
                    results.get(0).weights().config(),
                    SimulatedFeedback.stats(week1, WEEK_1, WEEK_2))
                .decisions());
    assertThat(published.getState())
        .as(published.getReason())
        .isEqualTo(ModelVersionState.PUBLISHED);
    assertThat(published.getParentVersion()).isEqualTo(BASE_VERSION);
    assertThat(published.getChangedExperts()).isNotEmpty();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> served.current().version().equals(published.getVersion()));
    assertThat(servedAccuracy(served, data.shiftedEvaluation)).isGreaterThan(before + 0.5);

    // week 2: nonsense corrections (labels at random) on documents the head answers well
    Random random = new Random(5);
    List<LabeledEmbedding> shuffled = new ArrayList<>();
    for (LabeledEmbedding s : data.guard.samples().subList(0, 120)) {
      shuffled.add(
          new LabeledEmbedding(s.embedding(), random.nextInt(SyntheticShift.LABELS.size())));
    }
    send(stack, names, registry, users.attributed(shuffled, "w2-", WEEK_2), WEEK_2, WEEK_3);

    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == 2);
    ModelVersion rejected = outcomes.get(1);
    assertThat(rejected.getState()).isEqualTo(ModelVersionState.REJECTED);
    assertThat(rejected.getParentVersion()).isEqualTo(published.getVersion());
    assertThat(rejected.getMetricsBefore()).containsKey("guard_accuracy");

    // what Prometheus scrapes and Kubernetes probes see
    assertThat(get(ops, "/readyz").statusCode()).isEqualTo(200);
    String scrape = get(ops, "/metrics").body();
    assertThat(scrape)
        .contains("expertflow_updater_versions_total{state=\"published\"} 1.0")
        .contains("expertflow_updater_versions_total{state=\"rejected\"} 1.0")
        .contains("expertflow_updater_windows_total 2.0")
        .contains("expertflow_updater_update_duration_seconds_count 2");

    // a worker that starts now rebuilds the served version from the compacted topics
    ServingModelRef late = servedBase(heads, base);
    ModelVersionFollower lateFollower = follower(stack, names, registry, base, heads, late);
    assertThat(lateFollower.caughtUp())
        .succeedsWithin(Duration.ofSeconds(60))
        .isEqualTo(published.getVersion());
    assertThat(late.current().version()).isEqualTo(published.getVersion());
    assertThat(served.current().version()).isEqualTo(published.getVersion());
    assertThat(servedAccuracy(late, data.shiftedEvaluation))
        .isEqualTo(servedAccuracy(served, data.shiftedEvaluation));
  }

  @Test
  void shouldRecordWhatPrivateUpdatesSpendAndLeaveOutUsersWhoseBudgetTheHistoryShowsSpent(
      LocalStack stack) throws Exception {
    TopicNames names = new TopicNames(stack.isolatedTopics("ExpertUpdateIT-private").prefix());
    SchemaRegistryClient registry = stack.registryClient();
    BaseModel base = new BaseModel(MODEL, BASE_VERSION, "bundle-sha", data.trained.weights());
    List<ModelVersion> outcomes = new CopyOnWriteArrayList<>();
    UpdaterConfig config =
        UpdaterConfig.defaults()
            .withTopics(names)
            .withSettle(Duration.ofMillis(300))
            .withSelection(SelectionConfig.defaults().withParameterBudgetShare(0.05));
    DpConfig dp = DpConfig.defaults().withMaxEpsilon(Double.POSITIVE_INFINITY);
    UpdaterService first = privateUpdater(stack, registry, base, config, dp, outcomes);
    SimulatedFeedback users = new SimulatedFeedback(data.trained.weights(), BASE_VERSION);

    // week 1: every document's feedback from a user of its own
    send(stack, names, registry, users.attributed(data.shifted, "w1-", WEEK_1), WEEK_1, WEEK_2);
    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == 1);
    PrivacyCost week1 = outcomes.get(0).getPrivacy();
    assertThat(week1).as(outcomes.get(0).getReason()).isNotNull();
    assertThat(week1.getUsersCount()).isPositive().isEqualTo(week1.getUserHashes().size());
    assertThat(VersionSummary.line(outcomes.get(0))).contains("private: epsilon");
    first.close();
    running.remove(first);

    // a restarted updater whose budget holds one week's spend but not two (halfway between): it
    // reads week 1's spend back from the version history
    double[] oneWeek = PrivacyRecords.spend(week1).rdp();
    double twoWeeks =
        RdpAccountant.epsilon(RdpAccountant.compose(oneWeek, oneWeek), week1.getDelta());
    privateUpdater(
        stack,
        registry,
        base,
        config,
        dp.withMaxEpsilon((week1.getEpsilon() + twoWeeks) / 2),
        outcomes);
    // week 2: the first half of the documents rated by week 1's users again, the rest by new ones
    List<AttributedFeedback> week2 = new ArrayList<>();
    for (AttributedFeedback f : users.attributed(data.shifted, "w2-", WEEK_2)) {
      int i = Integer.parseInt(f.getFeedbackId().toString().substring(3));
      week2.add(
          i < data.shifted.size() / 2
              ? AttributedFeedback.newBuilder(f).setSource("user-w1-" + i).build()
              : f);
    }
    send(stack, names, registry, week2, WEEK_2, WEEK_3);
    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == 2);

    ModelVersion second = outcomes.get(1);
    assertThat(second.getReason())
        .containsPattern("[1-9][0-9]* users whose privacy budget is spent");
    assertThat(second.getPrivacy().getUserHashes())
        .isNotEmpty()
        .doesNotContainAnyElementsOf(week1.getUserHashes());
  }

  private UpdaterService privateUpdater(
      LocalStack stack,
      SchemaRegistryClient registry,
      BaseModel base,
      UpdaterConfig config,
      DpConfig dp,
      List<ModelVersion> outcomes) {
    UpdaterService updater =
        new UpdaterService(
            config.withUpdate(config.update().withDp(dp)),
            stack.clientProperties(),
            registry,
            base,
            data.trained.reservoir(),
            data.guard,
            Clock.systemUTC(),
            (result, record, took) -> outcomes.add(record));
    start(updater, "updater");
    return updater;
  }

  @Test
  void shouldAddALabelTheModelNeverHadAndRemoveItOnRollback(LocalStack stack) throws Exception {
    TopicCatalog topics = stack.isolatedTopics("ExpertUpdateIT-new-label");
    SyntheticShift known = new SyntheticShift(SyntheticShift.KNOWN);
    TopicNames names = new TopicNames(topics.prefix());
    SchemaRegistryClient registry = stack.registryClient();
    BaseModel base = new BaseModel(MODEL, BASE_VERSION, "bundle-sha", known.trained.weights());
    HeadBuilder heads = HeadBuilder.onnx(engine, HeadSignature.defaults());
    ServingModelRef served = servedBase(heads, base);
    ModelVersionFollower follower = follower(stack, names, registry, base, heads, served);
    List<ModelVersion> outcomes = new CopyOnWriteArrayList<>();
    UpdaterService updater =
        new UpdaterService(
            UpdaterConfig.defaults()
                .withTopics(names)
                .withSettle(Duration.ofMillis(300))
                // room for the new label's row in all 16 experts (16 x 17 of 10,000 parameters)
                .withSelection(SelectionConfig.defaults().withParameterBudgetShare(0.1)),
            stack.clientProperties(),
            registry,
            base,
            known.trained.reservoir(),
            known.guard,
            Clock.systemUTC(),
            (result, record, took) -> outcomes.add(record));
    start(updater, "updater");
    assertThat(follower.caughtUp()).succeedsWithin(Duration.ofSeconds(60)).isEqualTo(BASE_VERSION);
    assertThat(served.current().labels()).doesNotContain("new");

    // users correct answers to a label that is in no label set of the model
    SimulatedFeedback users =
        new SimulatedFeedback(known.trained.weights(), BASE_VERSION, SyntheticShift.LABELS);
    send(stack, names, registry, users.attributed(known.shifted, "n1-", WEEK_1), WEEK_1, WEEK_2);

    await().atMost(Duration.ofSeconds(90)).until(() -> outcomes.size() == 1);
    ModelVersion grown = outcomes.get(0);
    assertThat(grown.getState()).as(grown.getReason()).isEqualTo(ModelVersionState.PUBLISHED);
    assertThat(grown.getLabels()).containsExactlyElementsOf(SyntheticShift.LABELS);
    assertThat(grown.getAddedLabels()).containsExactly("new");
    assertThat(grown.getChangedExperts()).hasSize(SyntheticShift.KNOWN.experts());
    assertThat(VersionSummary.line(grown)).contains("adds labels [new]");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> served.current().version().equals(grown.getVersion()));
    assertThat(served.current().labels()).containsExactlyElementsOf(SyntheticShift.LABELS);
    double learned = servedAccuracy(served, known.shiftedEvaluation);
    assertThat(learned).isGreaterThan(0.5);
    assertThat(servedAccuracy(served, known.guard.samples())).isGreaterThan(0.9);

    // a worker that starts now rebuilds the grown head from the compacted topics
    ServingModelRef late = servedBase(heads, base);
    assertThat(follower(stack, names, registry, base, heads, late).caughtUp())
        .succeedsWithin(Duration.ofSeconds(60))
        .isEqualTo(grown.getVersion());
    assertThat(late.current().labels()).containsExactlyElementsOf(SyntheticShift.LABELS);
    assertThat(servedAccuracy(late, known.shiftedEvaluation)).isEqualTo(learned);

    // rollback to the bundle: the label is gone again
    try (VersionRollback rollback =
        new VersionRollback(names, stack.clientProperties(), registry, Clock.systemUTC())) {
      rollback.rollback(MODEL, BASE_VERSION, "test rollback");
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> served.current().version().equals(BASE_VERSION));
    assertThat(served.current().labels()).doesNotContain("new");
    assertThat(servedAccuracy(served, known.shiftedEvaluation)).isZero();
  }

  private static java.net.http.HttpResponse<String> get(OpsServer ops, String path)
      throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://localhost:" + ops.port() + path))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  /** What a worker serves before it has read the version topics: the bundle's head. */
  private static List<AttributedFeedback> ofEncoder(
      List<AttributedFeedback> feedback, String encoderId) {
    return feedback.stream()
        .map(f -> AttributedFeedback.newBuilder(f).setEncoderId(encoderId).build())
        .toList();
  }

  private static ServingModelRef servedBase(HeadBuilder heads, BaseModel base) {
    return new ServingModelRef(new ServingModel(MODEL, BASE_VERSION, heads.open(base.weights())));
  }

  private ModelVersionFollower follower(
      LocalStack stack,
      TopicNames names,
      SchemaRegistryClient registry,
      BaseModel base,
      HeadBuilder heads,
      ServingModelRef served) {
    ModelVersionFollower f =
        new ModelVersionFollower(
            new FollowerConfig(names, Duration.ofMillis(100)),
            stack.clientProperties(),
            registry,
            base,
            heads,
            served);
    start(f, "follower");
    return f;
  }

  private <T extends Runnable & AutoCloseable> void start(T service, String name) {
    Thread t = new Thread(service, name);
    t.setDaemon(true);
    t.start();
    running.add(service);
  }

  /** Produces the window's attributed feedback, then its statistics, as the streams app would. */
  private static void send(
      LocalStack stack,
      TopicNames names,
      SchemaRegistryClient registry,
      List<AttributedFeedback> feedback,
      Instant start,
      Instant end)
      throws Exception {
    Map<String, Object> props = new HashMap<>(stack.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    AvroSerializer<AttributedFeedback> fs = new AvroSerializer<>(registry, false);
    AvroSerializer<ExpertWindowStats> ss = new AvroSerializer<>(registry, false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
      for (AttributedFeedback f : feedback) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    names.feedbackAttributed(),
                    Integer.toString(f.getExpert()),
                    fs.serialize(names.feedbackAttributed(), f))));
      }
      for (ExpertWindowStats s : SimulatedFeedback.stats(feedback, start, end)) {
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    names.expertStats(),
                    s.getExpert() + "@" + start.toEpochMilli(),
                    ss.serialize(names.expertStats(), s))));
      }
      for (var f : sent) {
        f.get();
      }
    }
  }

  /** Accuracy of the head the reference serves now, run through ONNX Runtime. */
  private static double servedAccuracy(ServingModelRef ref, List<LabeledEmbedding> docs) {
    try (ServingModelRef.Lease lease = ref.acquire()) {
      List<MoeOutput> out =
          lease
              .model()
              .head()
              .route(docs.stream().map(LabeledEmbedding::embedding).toArray(float[][]::new));
      int right = 0;
      for (int i = 0; i < docs.size(); i++) {
        if (out.get(i).argmax() == docs.get(i).label()) {
          right++;
        }
      }
      return (double) right / docs.size();
    }
  }
}
