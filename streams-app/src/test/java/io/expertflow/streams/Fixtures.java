package io.expertflow.streams;

import io.expertflow.avro.ExpertGate;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.LabelScore;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.avro.Timings;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.deadletter.DeadLetterDeserializationHandler;
import io.expertflow.streams.deadletter.DeadLetterHandlerConfig;
import io.expertflow.streams.deadletter.DeadLetterProcessingHandler;
import io.expertflow.streams.deadletter.DeadLetterProductionHandler;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;

/** Records and driver settings shared by the topology tests. */
public final class Fixtures {
  /** Document text that must never show up in logs or audit records. */
  public static final String SECRET_TEXT =
      "Quarterly merger plan of Zyxwv Corp, strictly confidential";

  public static final Instant T0 = Instant.parse("2026-03-02T00:00:00Z");

  private Fixtures() {}

  public static InferenceRequest.Builder request(String id) {
    return InferenceRequest.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setText(SECRET_TEXT)
        .setPriority(3)
        .setSubmittedAt(T0)
        .setAttributes(Map.of("channel", "email"));
  }

  public static InferenceResponse.Builder response(String id, String topLabel, float score) {
    return InferenceResponse.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setStatus(ResponseStatus.OK)
        .setLabels(List.of(new LabelScore(topLabel, score), new LabelScore("other", 1 - score)))
        .setExperts(List.of(new ExpertGate(17, 0.75f), new ExpertGate(3, 0.25f)))
        .setDomainExpert(4)
        .setModelName("minilm-moe")
        .setModelVersion("v1")
        .setEmbedding(List.of(0.6f, 0.8f))
        .setLexicalEvidence(List.of(-0.5f, -4f))
        .setInputSha256("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")
        .setChunkCount(1)
        .setTimings(new Timings(1L, 2L, 3L, 6L))
        .setWorkerId("worker-1")
        .setProducedAt(T0)
        .setAttributes(Map.of("channel", "email"));
  }

  public static FeedbackEvent.Builder feedback(String id, String requestId, Instant at) {
    return FeedbackEvent.newBuilder()
        .setFeedbackId(id)
        .setRequestId(requestId)
        .setRating(-1)
        .setEventTime(at);
  }

  /** Driver properties: exactly-once and the dead-letter handlers, as the app configures them. */
  public static Properties driverProps(
      String appId,
      SchemaRegistryClient registry,
      TopicNames topics,
      String stage,
      String... owned) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(
        StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
        DeadLetterDeserializationHandler.class);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(
        StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProductionHandler.class);
    props.put(DeadLetterHandlerConfig.TOPIC, topics.deadLetters());
    props.put(DeadLetterHandlerConfig.STAGE, stage);
    props.put(DeadLetterHandlerConfig.ORIGIN, "test");
    props.put(DeadLetterHandlerConfig.OWNED_TOPICS, String.join(",", owned));
    props.put(DeadLetterHandlerConfig.SERIALIZER, new AvroSerializer<>(registry, false));
    return props;
  }
}
