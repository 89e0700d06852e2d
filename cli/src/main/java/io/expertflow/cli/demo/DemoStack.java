package io.expertflow.cli.demo;

import io.expertflow.avro.ModelVersion;
import io.expertflow.cli.FileTrees;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.local.LocalServices;
import io.expertflow.operators.update.SelectionConfig;
import io.expertflow.operators.update.UpdateScope;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.LogicalTopic;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.topics.TopicProvisioner;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsApp;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.stats.StatsConfig;
import io.expertflow.updater.UpdaterConfig;
import io.expertflow.updater.UpdaterService;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;

/**
 * Everything a demo runs, started in order and stopped in reverse, as one {@link Supervisor} tree:
 * the embedded broker and schema registry (child JVMs on free loopback ports), the streams app
 * (intake, compliance, status API, feedback attribution, weekly statistics), one worker (which
 * follows the model versions and hot-loads new ones), the updater, and the reader that collects
 * every answer. Started by {@link #start}; closing it (or Ctrl-C) stops all of them.
 */
public final class DemoStack implements AutoCloseable {
  /** Grace of the demo's weekly statistics window: feedback up to a day late still counts. */
  public static final Duration STATS_GRACE = Duration.ofDays(1);

  /**
   * Chunks per document the demo embeds, in training and in its worker alike: fewer than the
   * {@value io.expertflow.model.training.TrainingConfig#DEFAULT_MAX_CHUNKS_PER_DOC} of {@code
   * expertflow train}, so that a first demo embeds its corpora in minutes on two cores (a long
   * Brown document has about 20 chunks). It costs genre accuracy, see docs/MODEL.md.
   */
  public static final int MAX_CHUNKS_PER_DOCUMENT = 8;

  /**
   * What the demo's update changes: the project's default scope, as in training's offline shift
   * update, with the default update settings (routing term included), so the demo's update is the
   * one training measured.
   */
  public static final UpdateScope UPDATE_SCOPE = UpdateScope.DEFAULT;

  /** How long the updater waits after the window's last statistics record before it updates. */
  public static final Duration UPDATER_SETTLE = Duration.ofSeconds(2);

  private final Supervisor tree;
  private final DemoStackConfig config;
  private final String bootstrap;
  private final String registryUrl;
  private final SchemaRegistryClient registry;
  private final StreamsApp streams;
  private final WorkerApp worker;
  private final ResponseCollector collector;
  private final BlockingQueue<ModelVersion> updates = new LinkedBlockingQueue<>();
  private final int attributedPartitions;
  private final int maxBatchSize;
  private final Path stateDir;

  private DemoStack(DemoStackConfig config, PrintWriter out) {
    this.config = config;
    this.tree = new Supervisor();
    try {
      out.println("starting Kafka and the schema registry on free ports...");
      out.flush();
      LocalServices services =
          tree.own(
              "broker and schema registry",
              LocalServices.start(
                  LocalKafkaBrokerConfig.defaults(), LocalSchemaRegistryConfig.builder().build()));
      this.stateDir = Files.createTempDirectory("expertflow-demo-streams-");
      tree.own("streams state", () -> FileTrees.delete(stateDir));
      this.bootstrap = services.broker().bootstrapServers();
      this.registryUrl = services.registry().url();
      this.registry =
          tree.own("schema registry client", HttpSchemaRegistryClient.forUrl(registryUrl));
      TopicCatalog topics =
          TopicCatalog.builder().prefix(config.topicPrefix()).replicationFactor((short) 1).build();
      try (Admin admin = Admin.create(kafka())) {
        new TopicProvisioner(admin).provision(topics);
      }
      this.attributedPartitions = topics.spec(LogicalTopic.FEEDBACK_ATTRIBUTED).partitions();
      out.printf("Kafka at %s, schema registry at %s%n", bootstrap, registryUrl);
      this.streams = tree.own("streams app", StreamsApp.start(streamsConfig(), registry));
      streams
          .consoleUrl()
          .ifPresent(
              url ->
                  out.printf(
                      "console at %s (review queue, model versions; this machine only, while the"
                          + " demo runs)%n",
                      url));
      this.collector =
          tree.start(
              "response reader",
              new ResponseCollector(kafka(), registry, config.topicPrefix(), config.runId()));
      Map<String, String> props = new HashMap<>(config.workerProperties());
      props.putIfAbsent("worker.id", "demo-worker");
      props.put("topic.prefix", config.topicPrefix());
      props.putIfAbsent("http.port", "0");
      props.putIfAbsent("chunk.max", Integer.toString(MAX_CHUNKS_PER_DOCUMENT));
      DemoModel model = config.model();
      // the worker's own follower hot-loads what the updater publishes
      props.put("reload.enabled", Boolean.toString(model.updatable()));
      props.putIfAbsent("reload.poll.timeout.ms", "200");
      WorkerSettings s = WorkerSettings.fromProperties(props);
      this.maxBatchSize = s.pipeline().encoderBatching().maxBatchSize();
      this.worker =
          tree.start(
              "worker",
              new WorkerApp(
                  s.worker(),
                  s.pipeline(),
                  s.chunking(),
                  s.engine(),
                  model.bundle(),
                  kafka(),
                  registry));
      TopicNames versionTopics = new TopicNames(config.topicPrefix());
      if (model.updatable()) {
        tree.start(
            "updater",
            new UpdaterService(
                UpdaterConfig.defaults()
                    .withTopics(versionTopics)
                    .withSettle(UPDATER_SETTLE)
                    .withSelection(
                        SelectionConfig.defaults()
                            .withMinFeedback(config.minFeedbackPerExpert())
                            .withScope(UPDATE_SCOPE)),
                kafka(),
                registry,
                model.base(),
                model.replay(),
                model.guard(),
                Clock.systemUTC(),
                (result, record, took) -> updates.add(record)));
      }
      awaitStreamsRunning(Duration.ofSeconds(90));
    } catch (IOException e) {
      tree.close();
      throw new UncheckedIOException("cannot create the streams state folder: " + e, e);
    } catch (RuntimeException | Error e) {
      tree.close();
      throw e;
    }
  }

  /** Starts the stack; throws (having stopped what it started) if any part fails to start. */
  public static DemoStack start(DemoStackConfig config, PrintWriter out) {
    return new DemoStack(config, out);
  }

  private StreamsAppConfig streamsConfig() {
    return StreamsAppConfig.builder()
        .bootstrapServers(bootstrap)
        .schemaRegistryUrl(registryUrl)
        .topicPrefix(config.topicPrefix())
        .applicationId("expertflow-demo-" + config.runId())
        .stateDir(stateDir)
        .instanceId("demo")
        .httpBind("127.0.0.1")
        .advertisedHost("127.0.0.1")
        .httpPort(0)
        .stats(new StatsConfig(StatsConfig.DEFAULT_WINDOW_SIZE, STATS_GRACE))
        // the demo submits no bulk jobs: one KafkaStreams less on a small machine
        .topologies(EnumSet.complementOf(EnumSet.of(AppTopology.JOBS)))
        .build();
  }

  private void awaitStreamsRunning(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!streams.isRunning()) {
      tree.checkHealthy();
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the streams app did not reach RUNNING within " + timeout + ": " + streams.streams());
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the streams app started", e);
      }
    }
  }

  /** Kafka client settings of the embedded broker. */
  public Map<String, Object> kafka() {
    return Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
  }

  public DemoStackConfig config() {
    return config;
  }

  public String bootstrapServers() {
    return bootstrap;
  }

  public String schemaRegistryUrl() {
    return registryUrl;
  }

  public SchemaRegistryClient registry() {
    return registry;
  }

  public WorkerApp worker() {
    return worker;
  }

  public ResponseCollector collector() {
    return collector;
  }

  /** Whether the updater runs and the worker follows its versions. */
  public boolean updating() {
    return config.model().updatable();
  }

  /** Every version record the updater wrote (published or rejected), in order. */
  public BlockingQueue<ModelVersion> updates() {
    return updates;
  }

  /** The console's address, while the demo runs. */
  public String consoleUrl() {
    return streams.consoleUrl().orElseThrow();
  }

  /** The request-status API's base URL. */
  public String statusUrl() {
    return "http://127.0.0.1:" + streams.httpPort().orElse(-1);
  }

  /** Partitions of {@code feedback.attributed}, which the window's closing event must all reach. */
  public int attributedPartitions() {
    return attributedPartitions;
  }

  /** The worker's largest encoder batch, for the batch fill. */
  public int maxBatchSize() {
    return maxBatchSize;
  }

  /** Throws if a component of the stack failed. */
  public void checkHealthy() {
    tree.checkHealthy();
  }

  @Override
  public void close() {
    tree.close();
  }
}
