package io.expertflow.worker;

import io.expertflow.avro.ModelVersion;
import io.expertflow.avro.ModelVersionState;
import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.versions.BaseModel;
import io.expertflow.versions.VersionPublisher;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes versions of a bundle's head as the updater would (tensors, history record, serving
 * record, through the production {@link VersionPublisher}), without training: each version shifts
 * one expert's label biases. Test scaffolding for hot reload; one test thread.
 */
final class HandMadeVersions implements AutoCloseable {
  private final BaseModel base;
  private final KafkaProducer<String, byte[]> producer;
  private final VersionPublisher publisher;
  private MoeHeadWeights weights;
  private ModelVersion last;

  HandMadeVersions(LocalStack stack, TopicCatalog topics, ModelBundle bundle) {
    this.base = BaseModel.of(bundle);
    this.weights = base.weights().copy();
    Map<String, Object> p = new HashMap<>(stack.clientProperties());
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 * 1024 * 1024);
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    SchemaRegistryClient registry = stack.registryClient();
    this.publisher = new VersionPublisher(producer, new TopicNames(topics.prefix()), registry);
  }

  BaseModel base() {
    return base;
  }

  /** Publishes and serves version {@code id}, child of the last one, changing {@code expert}. */
  ModelVersion publish(String id, int expert) {
    return write(id, expert, ModelVersionState.PUBLISHED);
  }

  /** Writes a REJECTED version {@code id} (history only, no tensors), as a failed update would. */
  ModelVersion reject(String id, int expert) {
    return write(id, expert, ModelVersionState.REJECTED);
  }

  private ModelVersion write(String id, int expert, ModelVersionState state) {
    MoeHeadWeights next = weights.copy();
    Map<String, MoeHeadWeights.Tensor> tensors = next.expertTensors(expert);
    String b2 = "expert." + expert + ".b2";
    float[] biases = tensors.get(b2).data();
    biases[0] += 5f;
    tensors.put(b2, new MoeHeadWeights.Tensor(biases, biases.length));
    next.setExpertTensors(expert, tensors);
    Map<String, String> experts = new LinkedHashMap<>();
    if (last != null) {
      experts.putAll(last.getExpertVersions());
    }
    if (state == ModelVersionState.PUBLISHED) {
      experts.put(Integer.toString(expert), id);
    }
    ModelVersion record =
        ModelVersion.newBuilder()
            .setModelName(base.name())
            .setVersion(id)
            .setParentVersion(last == null ? base.version() : last.getVersion())
            .setBaseBundleSha256(base.sha256())
            .setState(state)
            .setChangedExperts(List.of(expert))
            .setExpertVersions(experts)
            .setParametersChanged(biases.length)
            .setParametersTotal(base.weights().config().expertParameters())
            .setReason("hand-made test version")
            .setCreatedAt(Instant.now())
            .build();
    publisher.publish(record, next);
    if (state == ModelVersionState.PUBLISHED) {
      weights = next;
      last = record;
    }
    return record;
  }

  @Override
  public void close() {
    producer.close();
  }
}
