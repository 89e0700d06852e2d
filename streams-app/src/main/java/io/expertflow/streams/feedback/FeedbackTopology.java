package io.expertflow.streams.feedback;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.operators.feedback.FeedbackValidator;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.deadletter.DeadLetters;
import io.expertflow.streams.dedup.SeenIds;
import java.time.Duration;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The feedback topology: {@code responses} (key request id) and {@code feedback} (key request id,
 * raw bytes) -> {@code feedback.attributed} (key expert id, timestamp = feedback event time) and
 * {@code dead-letters}. The two input topics must be co-partitioned (same partition count, keyed by
 * request id): both processors share the response and wait stores of a task.
 */
public final class FeedbackTopology {
  /** Stage named in feedback's dead letters. */
  public static final String STAGE = "feedback";

  /** Window store of responses by request id, kept for the response retention. */
  public static final String RESPONSES_STORE = "feedback-responses";

  /** Key-value store of feedback waiting for its response. */
  public static final String WAITING_STORE = "feedback-waiting";

  /**
   * Window store of the feedback ids taken, by request ({@link SeenIds}, over the response
   * retention): feedback given again under its id is a duplicate.
   */
  public static final String SEEN_STORE = "feedback-seen";

  private FeedbackTopology() {}

  public static Topology build(
      TopicNames topics, FeedbackConfig config, SchemaRegistryClient registry, String origin) {
    FeedbackEmitter emitter = new FeedbackEmitter(new DeadLetters(STAGE, origin));
    FeedbackValidator validator = new FeedbackValidator(config.maxLabelLength());
    Serde<InferenceResponse> responseSerde = AvroSerdes.value(InferenceResponse.class, registry);
    Serializer<SpecificRecord> values = new AvroSerializer<>(registry, false);

    Topology topology = new Topology();
    topology.addSource(
        "feedback-responses-source",
        Serdes.String().deserializer(),
        responseSerde.deserializer(),
        topics.responses());
    topology.addSource(
        "feedback-source",
        Serdes.ByteArray().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.feedback());
    topology.addProcessor(
        "response-recorder",
        () -> new ResponseRecorder(new AvroDeserializer<>(registry, FeedbackEvent.class), emitter),
        "feedback-responses-source");
    topology.addProcessor(
        "feedback-joiner",
        () ->
            new FeedbackJoiner(
                new AvroDeserializer<>(registry, FeedbackEvent.class), validator, emitter, config),
        "feedback-source");
    topology.addStateStore(
        Stores.windowStoreBuilder(
            Stores.persistentWindowStore(
                RESPONSES_STORE, config.responseRetention(), Duration.ofMillis(1), false),
            Serdes.String(),
            responseSerde),
        "response-recorder",
        "feedback-joiner");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(WAITING_STORE), Serdes.String(), ParkedFeedback.serde()),
        "response-recorder",
        "feedback-joiner");
    topology.addStateStore(
        SeenIds.store(SEEN_STORE, config.responseRetention()), "feedback-joiner");
    topology.addSink(
        FeedbackEmitter.ATTRIBUTED,
        topics.feedbackAttributed(),
        Serdes.String().serializer(),
        values,
        "response-recorder",
        "feedback-joiner");
    topology.addSink(
        FeedbackEmitter.DEAD_LETTERS,
        topics.deadLetters(),
        Serdes.String().serializer(),
        values,
        "response-recorder",
        "feedback-joiner");
    return topology;
  }
}
