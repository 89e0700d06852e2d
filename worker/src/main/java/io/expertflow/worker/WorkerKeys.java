package io.expertflow.worker;

import static io.expertflow.schemas.settings.SettingType.BOOLEAN;
import static io.expertflow.schemas.settings.SettingType.DURATION;
import static io.expertflow.schemas.settings.SettingType.INT;
import static io.expertflow.schemas.settings.SettingType.STRING;

import io.expertflow.memory.feed.MemoryKeys;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.operators.batching.BatchPolicy;
import io.expertflow.operators.text.ChunkingConfig;
import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.settings.SettingTable;
import io.expertflow.schemas.settings.SettingType;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every key of a worker, with its type, default and meaning: the one source of the worker's rows of
 * docs/CONFIGURATION.md, of its flags, {@code EXPERTFLOW_*} variables and properties files. Keys
 * starting with {@code kafka.} pass through to the Kafka clients.
 */
public final class WorkerKeys {
  public static final SettingKey<String> WORKER_ID =
      SettingKey.computed(
          "worker.id",
          STRING,
          "host name",
          "Stable id of this worker. It is the Kafka transactional id's stem, so a restarted"
              + " worker with the same id fences its previous incarnation at once.");
  public static final SettingKey<DeliveryMode> DELIVERY_MODE =
      SettingKey.of(
          "delivery.mode",
          SettingType.oneOf(DeliveryMode.class),
          DeliveryMode.EXACTLY_ONCE,
          "exactly_once (transactions), at_least_once, or share_group (Kafka share groups).");
  public static final SettingKey<String> GROUP_ID =
      SettingKey.of(
          "group.id",
          STRING,
          WorkerConfig.DEFAULT_GROUP_ID,
          "Consumer group (or share group) of the workers.");
  public static final SettingKey<Boolean> STATIC_MEMBERSHIP =
      SettingKey.of(
          "static.membership",
          BOOLEAN,
          WorkerConfig.DEFAULT_STATIC_MEMBERSHIP,
          "Consumer-group modes: join as static member group.instance.id = worker.id, so a"
              + " crashed worker restarted under the same id takes its partitions back at once"
              + " instead of waiting for its dead member's session to time out. A worker that"
              + " stops gracefully leaves the group either way. false: dynamic membership.");
  public static final SettingKey<String> TOPIC_PREFIX =
      SettingKey.of(
          "topic.prefix",
          STRING,
          WorkerConfig.DEFAULT_TOPIC_PREFIX,
          "Prefix of every topic name (flag --topic-prefix).");
  public static final SettingKey<Integer> MAX_IN_FLIGHT =
      atLeast(
          SettingKey.of(
              "max.in.flight",
              INT,
              WorkerConfig.DEFAULT_MAX_IN_FLIGHT,
              "Documents polled but not yet answered; above it the worker pauses its partitions"
                  + " and resumes below half of it (backpressure). Under a burst, a priority-9"
                  + " document gets ahead of priority-0 ones only once it is inside this window:"
                  + " a window that holds the burst gave the high lane a p99 of 0.7 s instead of"
                  + " 3.3 s (docs/RELIABILITY.md, 'The high lane apart'). Each document in it"
                  + " holds its text and tokens on the heap: size it by document length and -Xmx."),
          1);
  public static final SettingKey<Duration> COMMIT_INTERVAL =
      positive(
          SettingKey.of(
              "commit.interval.ms",
              DURATION,
              WorkerConfig.DEFAULT_COMMIT_INTERVAL,
              "How often finished work is committed (one transaction per interval). Lower: less"
                  + " latency for read_committed readers; higher: fewer transactions."));
  public static final SettingKey<Integer> MAX_POLL_RECORDS =
      atLeast(
          SettingKey.of(
              "max.poll.records", INT, WorkerConfig.DEFAULT_MAX_POLL_RECORDS, "Records per poll."),
          1);
  public static final SettingKey<Duration> DRAIN_TIMEOUT =
      SettingKey.of(
          "drain.timeout.ms",
          DURATION,
          WorkerConfig.DEFAULT_DRAIN_TIMEOUT,
          "On shutdown, how long to wait for in-flight documents before giving them back.");
  public static final SettingKey<Duration> TRANSACTION_TIMEOUT =
      positive(
          SettingKey.of(
              "transaction.timeout.ms",
              DURATION,
              WorkerConfig.DEFAULT_TRANSACTION_TIMEOUT,
              "Kafka transaction timeout: an open transaction of a dead worker is aborted after"
                  + " it."));
  public static final SettingKey<Integer> SHARE_DELIVERY_LIMIT =
      atLeast(
          SettingKey.of(
              "share.delivery.limit",
              INT,
              WorkerConfig.DEFAULT_SHARE_DELIVERY_LIMIT,
              "Share-group mode: a record delivered this many times is dead-lettered"
                  + " (DELIVERY_LIMIT) on that delivery, without being run again. The worker sets"
                  + " its share group's share.delivery.count.limit to the same value."),
          2);
  public static final SettingKey<Integer> HTTP_PORT =
      SettingKey.of(
              "http.port",
              INT,
              WorkerConfig.DEFAULT_HTTP_PORT,
              "Port of /metrics (Prometheus), /healthz and /readyz; 0 picks a free port, -1 none.")
          .requiring(v -> v >= -1 && v <= 65535, "-1 to 65535");
  public static final SettingKey<Boolean> RELOAD_ENABLED =
      SettingKey.of(
          "reload.enabled",
          BOOLEAN,
          ReloadConfig.DEFAULT_ENABLED,
          "Follow model-versions and expert-updates and hot-load each new serving version"
              + " (and rollbacks) between batches; false serves the bundle as it is.");
  public static final SettingKey<Duration> RELOAD_CATCH_UP_TIMEOUT =
      positive(
          SettingKey.of(
              "reload.catch.up.timeout.ms",
              DURATION,
              ReloadConfig.DEFAULT_CATCH_UP_TIMEOUT,
              "At start, the longest wait to read both version topics to their end and build the"
                  + " serving version before taking requests; past it the worker exits with an"
                  + " error naming the topics."));
  public static final SettingKey<Duration> RELOAD_POLL_TIMEOUT =
      positive(
          SettingKey.of(
              "reload.poll.timeout.ms",
              DURATION,
              ReloadConfig.DEFAULT_POLL_TIMEOUT,
              "Longest wait of one poll of the version topics: bounds how late a new version is"
                  + " noticed."));
  public static final SettingKey<Boolean> TFIDF_ENABLED =
      SettingKey.of(
          "tfidf.enabled",
          BOOLEAN,
          true,
          "Answer with the bundle's TF-IDF model beside the head where the bundle has one"
              + " (model/lexical.bin, written by expertflow train when it helped on validation)."
              + " false: the head alone, as before the TF-IDF model was trained (the file is"
              + " still checksummed, not used). A bundle without it serves the head alone either"
              + " way.");
  public static final SettingKey<Integer> BATCH_MAX_SIZE =
      atLeast(
          SettingKey.of(
              "batch.max.size",
              INT,
              BatchPolicy.DEFAULT_MAX_BATCH_SIZE,
              "Most chunks in one encoder batch."),
          1);
  public static final SettingKey<Duration> BATCH_MAX_DELAY =
      SettingKey.of(
          "batch.max.delay.ms",
          DURATION,
          BatchPolicy.DEFAULT_MAX_QUEUE_DELAY,
          "Longest a chunk waits for a fuller batch.");
  public static final SettingKey<Integer> BATCH_MAX_TOKENS =
      SettingKey.of(
          "batch.max.tokens",
          INT,
          BatchPolicy.DEFAULT_MAX_BATCH_TOKENS,
          "Token budget of a batch, padding included (items x longest item).");
  public static final SettingKey<Boolean> BATCH_LENGTH_GROUPING =
      SettingKey.of(
          "batch.length.grouping",
          BOOLEAN,
          BatchPolicy.DEFAULT_LENGTH_GROUPING,
          "Group chunks of similar length so padding stays low.");
  public static final SettingKey<Integer> BATCH_MAX_ATTEMPTS =
      atLeast(
          SettingKey.of(
              "batch.max.attempts",
              INT,
              BatchPolicy.DEFAULT_MAX_ATTEMPTS,
              "Runs of a failing chunk on its own before its document is dead-lettered POISON."),
          1);
  public static final SettingKey<Integer> CHUNK_TOKENS =
      SettingKey.of(
          "chunk.tokens",
          INT,
          ChunkingConfig.DEFAULT_MAX_TOKENS_PER_CHUNK,
          "Tokens per chunk, [CLS] and [SEP] included.");
  public static final SettingKey<Integer> CHUNK_OVERLAP =
      SettingKey.of(
          "chunk.overlap",
          INT,
          ChunkingConfig.DEFAULT_OVERLAP_TOKENS,
          "Tokens shared by consecutive chunks.");
  public static final SettingKey<Integer> CHUNK_MAX =
      atLeast(
          SettingKey.of(
              "chunk.max",
              INT,
              ChunkingConfig.DEFAULT_MAX_CHUNKS_PER_DOCUMENT,
              "Chunks per document; longer documents are truncated and the response says so."),
          1);
  public static final SettingKey<Integer> TOKENIZER_THREADS =
      atLeast(
          SettingKey.of(
              "tokenizer.threads",
              INT,
              PipelineConfig.DEFAULT_TOKENIZER_THREADS,
              "Threads that validate and tokenise documents."),
          1);
  public static final SettingKey<Integer> MAX_TEXT_BYTES =
      atLeast(
          SettingKey.of(
              "max.text.bytes",
              INT,
              PipelineConfig.DEFAULT_MAX_TEXT_BYTES,
              "Larger documents are dead-lettered TOO_LARGE."),
          1);
  public static final SettingKey<ExecutionProvider> ENGINE_PROVIDER =
      SettingKey.of(
          "engine.provider",
          SettingType.oneOf(ExecutionProvider.class),
          ExecutionProvider.AUTO,
          "cuda, cpu, or auto (CUDA when it loads, else CPU with one log line saying why).");
  public static final SettingKey<Integer> ENGINE_INTRA_OP_THREADS =
      atLeast(
          SettingKey.of(
              "engine.intra.op.threads",
              INT,
              EngineConfig.DEFAULT_INTRA_OP_THREADS,
              "ONNX Runtime threads inside an operator; 0 means one per processor the JVM may use"
                  + " (container limits respected), set explicitly."),
          0);
  public static final SettingKey<Integer> ENGINE_CUDA_DEVICE =
      atLeast(
          SettingKey.of(
              "engine.cuda.device", INT, EngineConfig.DEFAULT_CUDA_DEVICE, "CUDA device index."),
          0);
  public static final SettingKey<Boolean> ENGINE_SPINNING =
      SettingKey.of(
          "engine.spinning",
          BOOLEAN,
          EngineConfig.DEFAULT_SPINNING,
          "Whether idle ONNX Runtime threads spin; off leaves the cores to the tokenizer and the"
              + " Kafka clients (on CPU it took a third less CPU per document).");

  /** Prefix of the keys passed to the Kafka clients without it. */
  public static final String KAFKA_PREFIX = "kafka.";

  /** The worker's table: connection keys, then Kafka side, hot reload, pipeline and engine. */
  public static final SettingTable TABLE = table();

  private WorkerKeys() {}

  private static SettingTable table() {
    List<SettingKey<?>> keys = new ArrayList<>(ConnectionKeys.KEYS);
    keys.addAll(
        List.of(
            WORKER_ID,
            DELIVERY_MODE,
            GROUP_ID,
            STATIC_MEMBERSHIP,
            TOPIC_PREFIX,
            MAX_IN_FLIGHT,
            COMMIT_INTERVAL,
            MAX_POLL_RECORDS,
            DRAIN_TIMEOUT,
            TRANSACTION_TIMEOUT,
            SHARE_DELIVERY_LIMIT,
            HTTP_PORT,
            RELOAD_ENABLED,
            RELOAD_CATCH_UP_TIMEOUT,
            RELOAD_POLL_TIMEOUT,
            TFIDF_ENABLED,
            BATCH_MAX_SIZE,
            BATCH_MAX_DELAY,
            BATCH_MAX_TOKENS,
            BATCH_LENGTH_GROUPING,
            BATCH_MAX_ATTEMPTS,
            CHUNK_TOKENS,
            CHUNK_OVERLAP,
            CHUNK_MAX,
            TOKENIZER_THREADS,
            MAX_TEXT_BYTES,
            ENGINE_PROVIDER,
            ENGINE_INTRA_OP_THREADS,
            ENGINE_CUDA_DEVICE,
            ENGINE_SPINNING));
    keys.addAll(MemoryKeys.KEYS);
    return SettingTable.of("worker", keys, KAFKA_PREFIX);
  }

  private static SettingKey<Integer> atLeast(SettingKey<Integer> key, int min) {
    return key.requiring(v -> v >= min, "at least " + min);
  }

  private static SettingKey<Duration> positive(SettingKey<Duration> key) {
    return key.requiring(d -> !d.isNegative() && !d.isZero(), "more than 0");
  }
}
