package io.expertflow.versions;

import io.expertflow.avro.ExpertWeights;
import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.ops.Failpoints;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Writes a version to Kafka in the order that keeps readers consistent: the changed experts'
 * tensors first, then the version's history record, then (if published or rolled back) its serving
 * record, each step acknowledged before the next. A reader that sees a serving record can therefore
 * find its tensors; a crash in between leaves at worst tensors or a history record that no serving
 * record names yet, which the updater completes when it sees the window again.
 *
 * <p>Not thread-safe: one caller at a time.
 */
public final class VersionPublisher {
  private final Producer<String, byte[]> producer;
  private final TopicNames topics;
  private final AvroSerializer<ExpertWeights> weightsSerializer;
  private final AvroSerializer<ModelVersion> versionSerializer;

  public VersionPublisher(
      Producer<String, byte[]> producer, TopicNames topics, SchemaRegistryClient registry) {
    this.producer = producer;
    this.topics = topics;
    this.weightsSerializer = new AvroSerializer<>(registry, false);
    this.versionSerializer = new AvroSerializer<>(registry, false);
  }

  /**
   * Publishes {@code record}; for a PUBLISHED record, first the tensors of its changed experts
   * taken from {@code weights}.
   *
   * @throws IllegalStateException if Kafka did not acknowledge a write
   */
  public void publish(ModelVersion record, MoeHeadWeights weights) {
    if (record.getState() == ModelVersionState.PUBLISHED) {
      List<Future<RecordMetadata>> sent = new ArrayList<>();
      for (int e : record.getChangedExperts()) {
        ExpertWeights w =
            ExpertWeightsCodec.encode(
                record.getModelName(), record.getVersion(), e, weights.expertTensors(e));
        String topic = topics.expertUpdates();
        sent.add(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    VersionKeys.expertUpdate(e, record.getVersion()),
                    weightsSerializer.serialize(topic, w))));
      }
      await(sent, "the tensors of version " + record.getVersion());
      Failpoints.reach("versions.publish.after-tensors");
    }
    String topic = topics.modelVersions();
    byte[] value = versionSerializer.serialize(topic, record);
    await(
        List.of(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    VersionKeys.history(record.getModelName(), record.getVersion()),
                    value))),
        "the history record of version " + record.getVersion());
    if (record.getState() != ModelVersionState.REJECTED) {
      Failpoints.reach("versions.publish.after-history");
      publishServing(record);
    }
  }

  /**
   * Writes a tombstone for each of {@code keys} on {@code expert-updates}, so compaction removes
   * those tensors.
   *
   * @throws IllegalStateException if Kafka did not acknowledge a tombstone
   */
  public void removeExpertUpdates(List<String> keys) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (String key : keys) {
      sent.add(producer.send(new ProducerRecord<>(topics.expertUpdates(), key, null)));
    }
    await(sent, keys.size() + " tombstones of expert-updates records");
  }

  /** Writes {@code record} under its model's serving key (also how a rollback is published). */
  public void publishServing(ModelVersion record) {
    String topic = topics.modelVersions();
    await(
        List.of(
            producer.send(
                new ProducerRecord<>(
                    topic,
                    VersionKeys.serving(record.getModelName()),
                    versionSerializer.serialize(topic, record)))),
        "the serving record of version " + record.getVersion());
  }

  private static void await(List<Future<RecordMetadata>> sent, String what) {
    for (Future<RecordMetadata> f : sent) {
      try {
        f.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while writing " + what, e);
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "Kafka did not take " + what + ": " + e.getCause().getMessage(), e.getCause());
      }
    }
  }
}
