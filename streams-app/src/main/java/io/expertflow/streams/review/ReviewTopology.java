package io.expertflow.streams.review;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ReviewDecision;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.status.JsonSerde;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.Stores;

/**
 * The review topology. Validated requests ({@code requests}: the text), responses on {@code
 * responses.review} (labels, experts), {@code audit} (the deciding rule, or that the rules approved
 * or blocked the response), {@code review-decisions} (a reviewer decided) and every response on
 * {@code responses} (to learn each model's labels) are keyed by request id and sent through one
 * repartition topic of <em>one</em> partition ({@code <app>-review-requests}), so one task holds
 * the whole queue and lists it oldest first without asking other instances; a review queue is
 * worked by people, so one task keeps up. The ledger ({@link ReviewLedgerProcessor}) keeps the
 * stores below, changelogged, so any instance that takes the task over rebuilds them. The topology
 * owns {@code review-decisions}: an undecodable record there becomes a dead letter (stage {@code
 * review}).
 */
public final class ReviewTopology {
  /** Every request that may still be, or was, reviewed, keyed by request id. */
  public static final String ITEMS_STORE = "review-items";

  /** Pending items in answer order: key {@link #queueKey}, value request id. */
  public static final String QUEUE_STORE = "review-queue";

  /** Labels seen per model name. */
  public static final String LABELS_STORE = "review-labels";

  /** How long the text of a request that has not reached review is kept (wall clock). */
  public static final Duration DEFAULT_TEXT_RETENTION = Duration.ofDays(7);

  private ReviewTopology() {}

  public static Topology build(TopicNames topics, SchemaRegistryClient registry) {
    return build(topics, registry, DEFAULT_TEXT_RETENTION);
  }

  public static Topology build(
      TopicNames topics, SchemaRegistryClient registry, Duration textRetention) {
    Serde<ReviewItem> itemJson = new JsonSerde<>(ReviewItem.class);
    Serde<InferenceResponse> responses = AvroSerdes.value(InferenceResponse.class, registry);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(ITEMS_STORE), Serdes.String(), itemJson));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(QUEUE_STORE), Serdes.String(), Serdes.String()));
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(LABELS_STORE),
            Serdes.String(),
            new JsonSerde<>(LabelSet.class)));

    KStream<String, ReviewItem> requested =
        builder.stream(
                topics.requests(),
                Consumed.with(Serdes.String(), AvroSerdes.value(InferenceRequest.class, registry))
                    .withName("review-requests-source"))
            .filter((key, r) -> r != null, Named.as("review-requests-present"))
            .map(
                (key, r) -> KeyValue.pair(r.getRequestId(), ReviewUpdates.requested(r)),
                Named.as("review-requested"));
    KStream<String, ReviewItem> inReview =
        builder.stream(
                topics.responsesReview(),
                Consumed.with(Serdes.String(), responses).withName("review-review-source"))
            .filter((key, r) -> r != null, Named.as("review-review-present"))
            .map(
                (key, r) -> KeyValue.pair(r.getRequestId(), ReviewUpdates.inReview(r)),
                Named.as("review-in-review"));
    KStream<String, ReviewItem> audited =
        builder.stream(
                topics.audit(),
                Consumed.with(Serdes.String(), AvroSerdes.value(AuditRecord.class, registry))
                    .withName("review-audit-source"))
            .filter((key, a) -> a != null, Named.as("review-audit-present"))
            .map(
                (key, a) -> KeyValue.pair(a.getRequestId(), ReviewUpdates.audited(a)),
                Named.as("review-audited"));
    KStream<String, ReviewItem> decided =
        builder.stream(
                topics.reviewDecisions(),
                Consumed.with(Serdes.String(), AvroSerdes.value(ReviewDecision.class, registry))
                    .withName("review-decisions-source"))
            .filter((key, d) -> d != null, Named.as("review-decisions-present"))
            .map(
                (key, d) -> KeyValue.pair(d.getRequestId(), ReviewUpdates.decided(d)),
                Named.as("review-decided"));
    KStream<String, ReviewItem> labelled =
        builder.stream(
                topics.responses(),
                Consumed.with(Serdes.String(), responses).withName("review-responses-source"))
            .filter(
                (key, r) -> r != null && !r.getLabels().isEmpty(),
                Named.as("review-responses-labelled"))
            .map(
                (key, r) -> KeyValue.pair(r.getRequestId(), ReviewUpdates.labelsOf(r)),
                Named.as("review-labels-of"));
    requested
        .merge(inReview, Named.as("review-merge-in-review"))
        .merge(audited, Named.as("review-merge-audited"))
        .merge(decided, Named.as("review-merge-decided"))
        .merge(labelled, Named.as("review-merge-labelled"))
        .repartition(
            Repartitioned.with(Serdes.String(), itemJson)
                .withName("review-requests")
                .withNumberOfPartitions(1))
        .process(
            () -> new ReviewLedgerProcessor(textRetention),
            Named.as("review-ledger"),
            ITEMS_STORE,
            QUEUE_STORE,
            LABELS_STORE);
    return builder.build();
  }

  /** The queue index key of a pending item: answer time (13 digits), a slash, the request id. */
  static String queueKey(ReviewItem item) {
    long at = item.answeredAt() == null ? 0 : Math.max(0, item.answeredAt());
    return String.format(java.util.Locale.ROOT, "%013d/%s", at, item.requestId());
  }
}
