package io.expertflow.local;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Keyed records written by one transactional producer ({@code acks=all}, idempotent) in
 * transactions of a fixed size until told to stop. Each key's values count up from 0 ({@code
 * key:sequence}); a transaction that fails with an abortable error is aborted and sent again with
 * the same values. It keeps the ledger of what was committed: the values per key, in order.
 *
 * <p>{@link #run()} runs on one thread; the counters and {@link #stop()} may be used from any
 * other, {@link #committedByKey()} once {@code run} has returned.
 */
final class TransactionalKeyedLoad implements Runnable {

  private final String bootstrapServers;
  private final String topic;
  private final int keys;
  private final int recordsPerTransaction;
  private final String transactionalId;
  private final Map<String, List<String>> committedByKey = new LinkedHashMap<>();
  private final int[] nextSequence;
  private final AtomicInteger committed = new AtomicInteger();
  private final AtomicInteger aborted = new AtomicInteger();
  private final AtomicLong longestCommitGapNanos = new AtomicLong();
  private volatile boolean stopping;
  private int nextKey;

  TransactionalKeyedLoad(
      String bootstrapServers,
      String topic,
      int keys,
      int recordsPerTransaction,
      String transactionalId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.keys = keys;
    this.recordsPerTransaction = recordsPerTransaction;
    this.transactionalId = transactionalId;
    this.nextSequence = new int[keys];
  }

  /** Records in committed transactions so far. */
  int committed() {
    return committed.get();
  }

  /** Transactions aborted and sent again. */
  int aborted() {
    return aborted.get();
  }

  /** The longest time between two commits (or the start and the first commit). */
  Duration longestCommitGap() {
    return Duration.ofNanos(longestCommitGapNanos.get());
  }

  /** Ends {@link #run()} after the transaction in progress. */
  void stop() {
    stopping = true;
  }

  /** Every committed value per key, in the order it was sent; read after {@link #run()}. */
  Map<String, List<String>> committedByKey() {
    return committedByKey;
  }

  @Override
  public void run() {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig())) {
      producer.initTransactions();
      long lastCommit = System.nanoTime();
      while (!stopping) {
        List<ProducerRecord<String, String>> batch = nextBatch();
        commitWithRetries(producer, batch);
        long now = System.nanoTime();
        longestCommitGapNanos.accumulateAndGet(now - lastCommit, Math::max);
        lastCommit = now;
        for (ProducerRecord<String, String> record : batch) {
          committedByKey.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(record.value());
        }
        committed.addAndGet(batch.size());
      }
    }
  }

  private void commitWithRetries(
      KafkaProducer<String, String> producer, List<ProducerRecord<String, String>> batch) {
    while (true) {
      producer.beginTransaction();
      try {
        List<Future<?>> sends = new ArrayList<>();
        for (ProducerRecord<String, String> record : batch) {
          sends.add(producer.send(record));
        }
        // commit flushes and fails if any send failed; every future is then complete
        producer.commitTransaction();
        for (Future<?> send : sends) {
          send.get();
        }
        return;
      } catch (ProducerFencedException
          | OutOfOrderSequenceException
          | AuthorizationException fatal) {
        throw fatal;
      } catch (KafkaException e) {
        aborted.incrementAndGet();
        producer.abortTransaction();
      } catch (Exception e) {
        throw new IllegalStateException("A committed send reported a failure", e);
      }
    }
  }

  private List<ProducerRecord<String, String>> nextBatch() {
    List<ProducerRecord<String, String>> batch = new ArrayList<>(recordsPerTransaction);
    for (int i = 0; i < recordsPerTransaction; i++) {
      int key = nextKey;
      nextKey = (nextKey + 1) % keys;
      batch.add(new ProducerRecord<>(topic, "key-" + key, key + ":" + nextSequence[key]++));
    }
    return batch;
  }

  private Map<String, Object> producerConfig() {
    return Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
        bootstrapServers,
        ProducerConfig.TRANSACTIONAL_ID_CONFIG,
        transactionalId,
        ProducerConfig.ACKS_CONFIG,
        "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
        true,
        ProducerConfig.LINGER_MS_CONFIG,
        5,
        ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class,
        ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
        StringSerializer.class);
  }
}
