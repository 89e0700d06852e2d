package io.expertflow.worker.reload;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.engine.Engine;
import io.expertflow.model.engine.EngineConfig;
import io.expertflow.model.engine.ExecutionProvider;
import io.expertflow.model.engine.HeadSession;
import io.expertflow.model.engine.HeadSignature;
import io.expertflow.model.onnx.MoeHeadOnnxBuilder;
import io.expertflow.operators.moe.MoeHeadConfig;
import io.expertflow.operators.moe.MoeHeadWeights;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.versions.BaseModel;
import io.expertflow.worker.pipeline.ServingModel;
import io.expertflow.worker.pipeline.ServingModelRef;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The follower's health: a follower whose loop dies after it caught up says so ({@link
 * ModelVersionFollower#following()} false, the failure kept), so the worker reports not ready
 * instead of serving an old version silently. Kafka's {@link MockConsumer} stands in for the
 * brokers; the head is a real ONNX session.
 */
class ModelVersionFollowerTest {
  private static final MoeHeadConfig HEAD = new MoeHeadConfig(8, 4, 2, 4, 2, List.of("x", "y"));
  private static final TopicNames TOPICS = new TopicNames("follower-test");
  private static Engine engine;

  @BeforeAll
  static void startEngine() {
    engine =
        Engine.start(
            EngineConfig.defaults().withProvider(ExecutionProvider.CPU).withIntraOpThreads(1));
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void shouldStopFollowingAndKeepTheCauseWhenItsLoopDiesAfterCatchingUp() throws Exception {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    emptyTopics(consumer, TOPICS.modelVersions(), TOPICS.expertUpdates());
    MoeHeadWeights weights = MoeHeadWeights.random(HEAD, 7);
    BaseModel base = new BaseModel("m", "1", "sha", weights);
    ServingModelRef serving = new ServingModelRef(new ServingModel("m", "1", open(weights)));
    ModelVersionFollower follower =
        new ModelVersionFollower(
            new FollowerConfig(TOPICS, Duration.ofMillis(20)),
            consumer,
            new InMemorySchemaRegistryClient(),
            base,
            ModelVersionFollowerTest::open,
            serving);
    Thread loop = new Thread(follower, "follower-under-test");
    loop.setUncaughtExceptionHandler((t, e) -> {}); // the test reads the failure from the follower
    loop.start();

    assertThat(follower.caughtUp().get(10, TimeUnit.SECONDS)).isEqualTo("1");
    assertThat(follower.following()).isTrue();
    consumer.setPollException(new KafkaException("the brokers refused this client"));
    loop.join(10_000);

    assertThat(loop.isAlive()).isFalse();
    assertThat(follower.following()).isFalse();
    assertThat(follower.failure())
        .get()
        .extracting(Throwable::getMessage)
        .isEqualTo("the brokers refused this client");
    assertThat(serving.current().version()).isEqualTo("1");
    serving.current().head().close();
  }

  @Test
  void shouldNotCountAnOrderlyCloseAsAFailure() throws Exception {
    MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
    emptyTopics(consumer, TOPICS.modelVersions(), TOPICS.expertUpdates());
    MoeHeadWeights weights = MoeHeadWeights.random(HEAD, 7);
    ServingModelRef serving = new ServingModelRef(new ServingModel("m", "1", open(weights)));
    ModelVersionFollower follower =
        new ModelVersionFollower(
            new FollowerConfig(TOPICS, Duration.ofMillis(20)),
            consumer,
            new InMemorySchemaRegistryClient(),
            new BaseModel("m", "1", "sha", weights),
            ModelVersionFollowerTest::open,
            serving);
    Thread loop = new Thread(follower, "follower-under-test");
    loop.start();
    follower.caughtUp().get(10, TimeUnit.SECONDS);

    follower.close();
    loop.join(10_000);

    assertThat(loop.isAlive()).isFalse();
    assertThat(follower.failure()).isEmpty();
    serving.current().head().close();
  }

  private static void emptyTopics(MockConsumer<String, byte[]> consumer, String... topics) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    for (String topic : topics) {
      consumer.updatePartitions(
          topic, List.of(new PartitionInfo(topic, 0, Node.noNode(), new Node[0], new Node[0])));
      offsets.put(new TopicPartition(topic, 0), 0L);
    }
    consumer.updateBeginningOffsets(offsets);
    consumer.updateEndOffsets(offsets);
  }

  private static HeadSession open(MoeHeadWeights weights) {
    return engine.openHead(MoeHeadOnnxBuilder.build(weights), HeadSignature.defaults(), HEAD);
  }
}
