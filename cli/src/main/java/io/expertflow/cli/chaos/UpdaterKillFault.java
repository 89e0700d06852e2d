package io.expertflow.cli.chaos;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.moe.GuardSet;
import io.expertflow.operators.moe.LabeledEmbedding;
import io.expertflow.operators.moe.MoeHeadReference;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.operators.moe.ReplayReservoir;
import io.expertflow.operators.update.SimulatedFeedback;
import io.expertflow.schemas.ops.Failpoints;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.updater.UpdaterBundle;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.VersionKeys;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
import java.util.Random;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
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
 * both are made of random vectors labelled by the head itself ({@link #prepareBundle}).
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

  /**
   * Writes a TEST replay reservoir and guard set beside {@code bundleDir} when it has none (the
   * tiny TEST bundle): random unit vectors of the head's width, labelled by the head's own answer.
   *
   * @return whether files were written
   */
  static boolean prepareBundle(Path bundleDir, long seed) {
    Path reservoirFile = bundleDir.resolve(UpdaterBundle.RESERVOIR_FILE);
    Path guardFile = bundleDir.resolve(UpdaterBundle.GUARD_SET_FILE);
    if (Files.isRegularFile(reservoirFile) && Files.isRegularFile(guardFile)) {
      return false;
    }
    MoeHeadWeights weights = BaseModel.of(ModelBundle.load(bundleDir)).weights();
    int dim = weights.config().hidden();
    MoeHeadReference head = new MoeHeadReference(weights);
    Random random = new Random(seed);
    List<LabeledEmbedding> samples = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      float[] x = new float[dim];
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        x[d] = (float) random.nextGaussian();
        norm += x[d] * x[d];
      }
      for (int d = 0; d < dim; d++) {
        x[d] /= (float) Math.sqrt(norm);
      }
      samples.add(new LabeledEmbedding(x, head.forward(x).argmax()));
    }
    try (OutputStream r = Files.newOutputStream(reservoirFile);
        OutputStream g = Files.newOutputStream(guardFile)) {
      ReplayReservoir.of(weights, samples.subList(0, 1_600), 64, seed).writeTo(r);
      new GuardSet(weights.config().labels(), dim, samples.subList(1_600, 2_000)).writeTo(g);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the TEST reservoir and guard set: " + e, e);
    }
    return true;
  }

  /** Applies fault {@code n} (from 0); returns its target and what came of it. */
  String apply(int n) throws InterruptedException {
    if (inputs == null) {
      inputs = UpdaterBundle.load(bundle);
    }
    String point = POINTS.get(n % POINTS.size());
    // a fresh updater armed at this fault's point, caught up with the topics before the window
    processes.stop(NAME);
    long from = logLength();
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
    processes.kill(NAME);
    Thread.sleep(FaultInjector.RESTART_PAUSE.toMillis());
    long restarted = System.nanoTime();
    processes.startUpdater(Map.of());
    String version = awaitServing(window.toEpochMilli());
    for (String w : workers) {
      // a worker hot-loads the version once its serving record is visible
      awaitLogOf(processes.logOf(w), "now serving " + inputs.base().name() + " version " + version);
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
    String servingKey = VersionKeys.serving(inputs.base().name());
    AvroDeserializer<ModelVersion> versions = new AvroDeserializer<>(registry, ModelVersion.class);
    Map<String, Object> c = new HashMap<>(kafka);
    c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topics.modelVersions()).stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (System.nanoTime() < until) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (!servingKey.equals(r.key()) || r.value() == null) {
            continue;
          }
          ModelVersion v = versions.deserialize(r.topic(), r.value());
          if (v.getState() == ModelVersionState.PUBLISHED
              && v.getWindowStart() != null
              && v.getWindowStart() == windowStartMs) {
            return v.getVersion();
          }
        }
        if (Thread.interrupted()) {
          throw new InterruptedException();
        }
      }
    }
    throw new IllegalStateException(
        "no version of the window " + Instant.ofEpochMilli(windowStartMs) + " became serving");
  }

  private long logLength() {
    try {
      return Files.exists(log) ? Files.size(log) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
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

  /** Waits until {@code file} holds {@code line} anywhere (a worker's log: it is appended to). */
  private static void awaitLogOf(Path file, String line) throws InterruptedException {
    long until = System.nanoTime() + STEP_TIMEOUT.toNanos();
    while (System.nanoTime() < until) {
      try {
        if (Files.readString(file, StandardCharsets.UTF_8).contains(line)) {
          return;
        }
      } catch (IOException e) {
        // not written yet
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException(
        file.getFileName()
            + " never said '"
            + line
            + "' within "
            + STEP_TIMEOUT.toSeconds()
            + " s");
  }

  private void checkAlive(String failure) {
    Optional<String> gone =
        processes.exitedUnasked().stream().filter(s -> s.startsWith(NAME)).findFirst();
    if (gone.isPresent()) {
      throw new IllegalStateException(failure + ": it ended, " + gone.get() + "; see " + log);
    }
  }

  private String logSince(long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      int start = (int) Math.min(from, all.length);
      return new String(all, start, all.length - start, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }
}
