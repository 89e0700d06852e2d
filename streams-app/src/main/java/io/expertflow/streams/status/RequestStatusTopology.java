package io.expertflow.streams.status;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The status topology: {@code requests}, {@code dead-letters} of the request stages, {@code
 * responses} and the three routed topics, each keyed by the request id named in the record, merged
 * and sent through one repartition topic ({@code <app>-status-group-repartition}), so the inputs
 * may have any partition counts, and reduced into the key-value store {@link #STORE} (changelogged,
 * queryable with {@code queryMetadataForKey}).
 */
public final class RequestStatusTopology {
  /** The queryable store of request statuses. */
  public static final String STORE = "request-status";

  private RequestStatusTopology() {}

  public static Topology build(TopicNames topics, SchemaRegistryClient registry) {
    Serde<RequestStatus> json = new JsonSerde<>(RequestStatus.class);
    Serde<InferenceResponse> responses = AvroSerdes.value(InferenceResponse.class, registry);
    StreamsBuilder builder = new StreamsBuilder();

    KStream<String, RequestStatus> accepted =
        builder.stream(
                topics.requests(),
                Consumed.with(Serdes.String(), AvroSerdes.value(InferenceRequest.class, registry))
                    .withName("status-requests-source"))
            .map(
                (documentId, request) ->
                    KeyValue.pair(request.getRequestId(), StatusUpdates.accepted(request)),
                Named.as("status-accepted"));
    KStream<String, RequestStatus> deadLettered =
        builder.stream(
                topics.deadLetters(),
                Consumed.with(Serdes.String(), AvroSerdes.value(DeadLetter.class, registry))
                    .withName("status-dead-letters-source"))
            .filter(
                (key, letter) -> letter != null && StatusUpdates.concernsRequest(letter),
                Named.as("status-request-dead-letters"))
            .map(
                (key, letter) ->
                    KeyValue.pair(letter.getRequestId(), StatusUpdates.deadLettered(letter)),
                Named.as("status-dead-lettered"));
    KStream<String, RequestStatus> answered =
        builder.stream(
                topics.responses(),
                Consumed.with(Serdes.String(), responses).withName("status-responses-source"))
            .map(
                (key, response) ->
                    KeyValue.pair(response.getRequestId(), StatusUpdates.answered(response)),
                Named.as("status-answered"));
    KStream<String, RequestStatus> merged =
        accepted
            .merge(deadLettered, Named.as("status-merge-dead-letters"))
            .merge(answered, Named.as("status-merge-answered"))
            .merge(
                decided(
                    builder, topics.responsesApproved(), ComplianceDecision.APPROVED, responses),
                Named.as("status-merge-approved"))
            .merge(
                decided(builder, topics.responsesReview(), ComplianceDecision.REVIEW, responses),
                Named.as("status-merge-review"))
            .merge(
                decided(builder, topics.responsesBlocked(), ComplianceDecision.BLOCKED, responses),
                Named.as("status-merge-blocked"));
    merged
        .filter((requestId, update) -> requestId != null && update != null)
        .groupByKey(Grouped.with("status-group", Serdes.String(), json))
        .reduce(
            RequestStatus::mergedWith,
            Named.as("status-reduce"),
            Materialized.<String, RequestStatus, KeyValueStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(json));
    return builder.build();
  }

  private static KStream<String, RequestStatus> decided(
      StreamsBuilder builder,
      String topic,
      ComplianceDecision decision,
      Serde<InferenceResponse> responses) {
    String name = decision.name().toLowerCase(java.util.Locale.ROOT);
    return builder.stream(
            topic, Consumed.with(Serdes.String(), responses).withName("status-" + name + "-source"))
        .map(
            (key, response) ->
                KeyValue.pair(response.getRequestId(), StatusUpdates.decided(response, decision)),
            Named.as("status-" + name));
  }
}
