package io.expertflow.cli.chaos;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.update.SimulatedFeedback;
import io.expertflow.schemas.ops.Failpoints;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.updater.UpdaterBundle;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.VersionCatalog;
import io.expertflow.versions.VersionHistory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The updater killed while it publishes a version. A real {@code expertflow updater} child runs
 * with a failpoint ({@link Failpoints}) armed at one step of {@link
 * io.expertflow.versions.VersionPublisher}: after the tensors are written (no history record yet),
 * or after the history record (no serving record yet), taking turns. The fault writes one closed
 * feedback window (attributed feedback and its statistics, as the streams app's feedback and stats
 * topologies would) that the updater learns from, waits until the updater holds at the failpoint,
 * SIGKILLs it, starts it again unarmed after {@link FaultInjector#RESTART_PAUSE}, and waits until
 * the version of that window is serving: the restarted updater must finish (after the history
 * record) or redo (after the tensors) the interrupted publication, and the workers hot-load it.
 *
 * <p>The window's feedback corrects the answers of documents that one expert routes (its replay
 * samples) to the next label, or the one after it in every other window, so each update has
 * something to learn that the version it starts from does not know; the updater's guards are
 * relaxed for the run (any held-out gain, a guard drop under 0.99), since this fault is about
 * publishing, not learning. With the tiny TEST bundle, which has no replay reservoir or guard set,
 * both are made of random vectors labelled by the head itself ({@link TestUpdaterFiles}).
 *
 * <p>Not thread-safe: the fault thread calls it.
 */
final class UpdaterKillFault {
  /** The failpoints the faults take turns at. */
  static final List<String> POINTS =
      List.of("versions.publish.after-tensors", "versions.publish.after-history");

  /** Longest wait for each step: the updater caught up, at the failpoint, its version serving. */
  static final Duration STEP_TIMEOUT = Duration.ofSeconds(120);

  /** The first feedback window: a Monday long past; each window sent is the week after the last. */
  static final Instant FIRST_WINDOW = Instant.parse("2025-01-06T00:00:00Z");

  static final String NAME = "updater";

  private static final int FEEDBACK_DOCUMENTS = 48;

  /** Windows rejected in a row after which a fault gives up. */
  private static final int MAX_REJECTED = 5;

  private final Map<String, Object> kafka;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Path bundle;
  private final PipelineProcesses processes;
  private final List<String> workers;
  private final Path log;
  private UpdaterBundle inputs;
  private int windows;

  UpdaterKillFault(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      TopicNames topics,
      Path bundle,
      PipelineProcesses processes,
      List<String> workers) {
    this.kafka = kafka;
    this.registry = registry;
    this.topics = topics;
    this.bundle = bundle;
    this.processes = processes;
    this.workers = List.copyOf(workers);
    this.log = processes.logOf(NAME);
  }

  /** Applies fault {@code n} (from 0); returns its target and what came of it. */
  String apply(int n) throws InterruptedException {
    if (inputs == null) {
      inputs = UpdaterBundle.load(bundle);
    }
    String point = POINTS.get(n % POINTS.size());
    // a fresh updater armed at this fault's point, caught up with the topics before the window
    processes.stop(NAME);
    long from = LogFile.length(log);
    processes.startUpdater(Map.of(Failpoints.ENV, point + "=pause:PT10M"));
    awaitLog(from, "updater caught up", "the updater did not catch up");
    // a window whose update the guards reject publishes nothing: the next week is tried then
    Instant window = null;
    int rejected = 0;
    while (window == null) {
      Instant w = FIRST_WINDOW.plus(Duration.ofDays(7L * windows));
      sendWindow(w, windows);
      windows++;
      if (awaitPointOrRejection(from, point, w)) {
        window = w;
      } else if (++rejected == MAX_REJECTED) {
        throw new IllegalStateException(
            "the updater rejected " + rejected + " windows' updates in a row; nothing published");
      }
    }
    // the version is served only after the restart: each worker's log is read from here on
    Map<String, Long> workerLogs = new HashMap<>();
    workers.forEach(w -> workerLogs.put(w, LogFile.length(processes.logOf(w))));
    processes.kill(NAME);
    Thread.sleep(FaultInjector.RESTART_PAUSE.toMillis());
    long restarted = System.nanoTime();
    processes.startUpdater(Map.of());
    String version = awaitServing(window.toEpochMilli());
    for (String w : workers) {
      // a worker hot-loads the version once its serving record is visible
      LogFile.awaitLine(
          processes.logOf(w),
          workerLogs.get(w),
          "now serving " + inputs.base().name() + " version " + version,
          STEP_TIMEOUT);
    }
    String step = point.substring(point.lastIndexOf('-') + 1);
    return String.format(
        Locale.ROOT,
        "updater, killed after the %s of %s, served by every worker %.1f s after its restart%s",
        step,
        version,
        (System.nanoTime() - restarted) / 1e9,
        rejected == 0 ? "" : " (" + rejected + " window(s) rejected before it)");
  }

  /** One closed week of attributed feedback and its per-expert statistics. */
  private void sendWindow(Instant start, int index) {
    BaseModel base = inputs.base();
    ReplayReservoir replay = inputs.replay();
    int expert =
        IntStream.range(0, replay.experts())
            .boxed()
            .max(Comparator.comparingInt(e -> replay.samples(e).size()))
            .orElseThrow();
    int labels = base.weights().config().labels().size();
    List<LabeledEmbedding> documents = new ArrayList<>();
    for (LabeledEmbedding s : replay.samples(expert)) {
      if (documents.size() == FEEDBACK_DOCUMENTS) {
        break;
      }
      // one label on, then two, taking turns: each window contradicts what the last one taught
      documents.add(new LabeledEmbedding(s.embedding(), (s.label() + 1 + index % 2) % labels));
    }
    List<AttributedFeedback> feedback =
        new SimulatedFeedback(base.weights(), base.version())
            .attributed(documents, "chaos-feedback-" + index + "-", start.plusSeconds(3_600));
    List<ExpertWindowStats> stats =
        SimulatedFeedback.stats(feedback, start, start.plus(Duration.ofDays(7)));
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    AvroSerializer<AttributedFeedback> fs = new AvroSerializer<>(registry, false);
    AvroSerializer<ExpertWindowStats> ss = new AvroSerializer<>(registry, false);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
      // feedback first: the updater takes a window once its statistics are complete
      for (AttributedFeedback f : feedback) {
        String topic = topics.feedbackAttributed();
        producer.send(new ProducerRecord<>(topic, f.getRequestId(), fs.serialize(topic, f)));
      }
      producer.flush();
      for (ExpertWindowStats s : stats) {
        String topic = topics.expertStats();
        producer.send(
            new ProducerRecord<>(
                topic, s.getExpert() + "@" + start.toEpochMilli(), ss.serialize(topic, s)));
      }
      producer.flush();
    }
  }

  /** Waits until the serving record names a PUBLISHED version of the window; its id. */
  private String awaitServing(long windowStartMs) throws InterruptedException {
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      Optional<ModelVersion> serving =
          Optional.ofNullable(
                  VersionHistory.read(topics, kafka, registry, STEP_TIMEOUT)
                      .get(inputs.base().name()))
              .flatMap(VersionCatalog::serving);
      if (serving.isPresent()
          && serving.get().getState() == ModelVersionState.PUBLISHED
          && serving.get().getWindowStart() != null
          && serving.get().getWindowStart() == windowStartMs) {
        return serving.get().getVersion();
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException(
        "no version of the window " + Instant.ofEpochMilli(windowStartMs) + " became serving");
  }

  /**
   * Waits until the updater holds at {@code point} (true) or rejects the update of {@code window}
   * (false).
   */
  private boolean awaitPointOrRejection(long from, String point, Instant window)
      throws InterruptedException {
    String decided = "window " + window + ": version";
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      String log = logSince(from);
      if (log.contains("failpoint " + point + " reached")) {
        return true;
      }
      if (log.lines().anyMatch(l -> l.contains(decided) && l.contains("REJECTED"))) {
        return false;
      }
      checkAlive("the updater never reached " + point);
      Thread.sleep(100);
    }
    throw new IllegalStateException(
        "the updater never reached " + point + " within " + STEP_TIMEOUT.toSeconds() + " s");
  }

  /** Waits until the updater's log, from byte {@code from}, holds {@code line}. */
  private void awaitLog(long from, String line, String failure) throws InterruptedException {
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      if (logSince(from).contains(line)) {
        return;
      }
      checkAlive(failure);
      Thread.sleep(100);
    }
    throw new IllegalStateException(failure + " within " + STEP_TIMEOUT.toSeconds() + " s");
  }

  private void checkAlive(String failure) {
    Optional<String> gone =
        processes.exitedUnasked().stream().filter(s -> s.startsWith(NAME)).findFirst();
    if (gone.isPresent()) {
      throw new IllegalStateException(failure + ": it ended, " + gone.get() + "; see " + log);
    }
  }

  private String logSince(long from) {
    return LogFile.textSince(log, from);
  }
}
