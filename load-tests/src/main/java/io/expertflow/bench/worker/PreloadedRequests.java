package io.expertflow.bench.worker;

import io.expertflow.avro.InferenceRequest;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes a whole set of requests to the requests topic in one Kafka transaction. The worker reads
 * {@code read_committed}, so it sees none of them until {@link #commit} and then all at once: the
 * timed worker phase starts with every request already in the topic, and no client produces while
 * the worker runs.
 *
 * <p>Not thread-safe; one set at a time.
 */
final class PreloadedRequests implements AutoCloseable {
  private final KafkaProducer<String, InferenceRequest> producer;
  private final String topic;
  private boolean open;

  PreloadedRequests(Map<String, Object> kafka, SchemaRegistryClient registry, String topic) {
    this(kafka, registry, topic, "bench-preloader");
  }

  /**
   * @param transactionalId of the preloading producer; two preloaders open at once need two
   */
  PreloadedRequests(
      Map<String, Object> kafka,
      SchemaRegistryClient registry,
      String topic,
      String transactionalId) {
    Map<String, Object> p = new HashMap<>(kafka);
    p.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    p.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    this.producer =
        new KafkaProducer<>(p, new StringSerializer(), new AvroSerializer<>(registry, false));
    this.topic = topic;
    producer.initTransactions();
  }

  /**
   * Writes one request per text, ids {@code <name>-<i>}, inside an open transaction; every send is
   * acknowledged before this returns.
   *
   * @return the request ids, in order
   */
  List<String> write(List<String> texts, String name) {
    producer.beginTransaction();
    open = true;
    List<String> ids = new ArrayList<>(texts.size());
    List<Future<RecordMetadata>> sends = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      String id = name + "-" + i;
      ids.add(id);
      sends.add(
          producer.send(
              new ProducerRecord<>(
                  topic,
                  id,
                  InferenceRequest.newBuilder()
                      .setRequestId(id)
                      .setDocumentId(id)
                      .setTenant("bench")
                      .setText(texts.get(i))
                      .setSubmittedAt(Instant.now())
                      .build())));
    }
    producer.flush();
    for (Future<RecordMetadata> f : sends) {
      try {
        f.get();
      } catch (ExecutionException e) {
        throw new IllegalStateException("a preloaded request was not written: " + e.getCause(), e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while preloading requests", e);
      }
    }
    return ids;
  }

  /** Makes the written requests visible to read_committed readers, all at once. */
  void commit() {
    producer.commitTransaction();
    open = false;
  }

  @Override
  public void close() {
    if (open) {
      producer.abortTransaction();
    }
    producer.close();
  }
}
