package io.expertflow.streams.jobs;

import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.status.JsonSerde;
import java.util.Locale;
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
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;

/**
 * The job topology. Requests of a job on {@code requests.inbound} (those with a {@code job_id}),
 * dead letters of the request stages, {@code responses} and the three routed topics are keyed by
 * request id and sent through one repartition topic ({@code <app>-jobs-requests-repartition}); a
 * ledger per request ({@link #REQUESTS_STORE}) turns each into the change it makes to its job's
 * figures, and those changes, keyed by job id through a second repartition topic, are summed into
 * the queryable store {@link #STORE}. Counting goes through the per-request ledger, so the figures
 * are exact even when a topic delivers a request or a response twice.
 */
public final class JobTopology {
  /** The queryable store of job figures, keyed by job id. */
  public static final String STORE = "jobs";

  /**
   * Separates the job id from the rest of a job request's id ({@code <job id>/<digest>}, as {@code
   * expertflow job submit} derives it). Outcomes of requests whose id lacks it are not looked at,
   * so traffic outside jobs leaves nothing in the ledger.
   */
  public static final char REQUEST_ID_SEPARATOR = '/';

  /** What is known of each request of a job, keyed by request id. */
  public static final String REQUESTS_STORE = "job-requests";

  private JobTopology() {}

  public static Topology build(TopicNames topics, SchemaRegistryClient registry) {
    Serde<JobRequest> requestJson = new JsonSerde<>(JobRequest.class);
    Serde<JobCounts> countsJson = new JsonSerde<>(JobCounts.class);
    Serde<InferenceResponse> responses = AvroSerdes.value(InferenceResponse.class, registry);
    StreamsBuilder builder = new StreamsBuilder();
    builder.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(REQUESTS_STORE), Serdes.String(), requestJson));

    KStream<String, JobRequest> submitted =
        builder.stream(
                topics.requestsInbound(),
                Consumed.with(Serdes.String(), AvroSerdes.value(InferenceRequest.class, registry))
                    .withName("jobs-inbound-source"))
            .filter((key, request) -> JobUpdates.inAJob(request), Named.as("jobs-in-a-job"))
            .map(
                (key, request) ->
                    KeyValue.pair(request.getRequestId(), JobUpdates.submitted(request)),
                Named.as("jobs-submitted"));
    KStream<String, JobRequest> deadLettered =
        builder.stream(
                topics.deadLetters(),
                Consumed.with(Serdes.String(), AvroSerdes.value(DeadLetter.class, registry))
                    .withName("jobs-dead-letters-source"))
            .filter(
                (key, letter) -> JobUpdates.endsRequest(letter) && jobShaped(letter.getRequestId()),
                Named.as("jobs-request-ends"))
            .map(
                (key, letter) ->
                    KeyValue.pair(letter.getRequestId(), JobUpdates.deadLettered(letter)),
                Named.as("jobs-dead-lettered"));
    KStream<String, JobRequest> answered =
        builder.stream(
                topics.responses(),
                Consumed.with(Serdes.String(), responses).withName("jobs-responses-source"))
            .filter(
                (key, response) -> response != null && jobShaped(response.getRequestId()),
                Named.as("jobs-responses-present"))
            .map(
                (key, response) ->
                    KeyValue.pair(response.getRequestId(), JobUpdates.answered(response)),
                Named.as("jobs-answered"));
    KStream<String, JobRequest> merged =
        submitted
            .merge(deadLettered, Named.as("jobs-merge-dead-letters"))
            .merge(answered, Named.as("jobs-merge-answered"));
    for (ComplianceDecision decision : ComplianceDecision.values()) {
      merged =
          merged.merge(decided(builder, topics, decision, responses), named(decision, "merge"));
    }
    merged
        .filter((requestId, update) -> requestId != null && update != null)
        .repartition(Repartitioned.with(Serdes.String(), requestJson).withName("jobs-requests"))
        .process(JobLedgerProcessor::new, Named.as("jobs-ledger"), REQUESTS_STORE)
        .groupByKey(Grouped.with("jobs-group", Serdes.String(), countsJson))
        .reduce(
            JobCounts::plus,
            Named.as("jobs-reduce"),
            Materialized.<String, JobCounts, KeyValueStore<Bytes, byte[]>>as(STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(countsJson));
    return builder.build();
  }

  private static KStream<String, JobRequest> decided(
      StreamsBuilder builder,
      TopicNames topics,
      ComplianceDecision decision,
      Serde<InferenceResponse> responses) {
    String topic =
        switch (decision) {
          case APPROVED -> topics.responsesApproved();
          case REVIEW -> topics.responsesReview();
          case BLOCKED -> topics.responsesBlocked();
        };
    return builder.stream(
            topic,
            Consumed.with(Serdes.String(), responses)
                .withName("jobs-" + decision.name().toLowerCase(Locale.ROOT) + "-source"))
        .filter(
            (key, response) -> response != null && jobShaped(response.getRequestId()),
            named(decision, "present"))
        .map(
            (key, response) ->
                KeyValue.pair(response.getRequestId(), JobUpdates.decided(response, decision)),
            named(decision, "decided"));
  }

  /** Whether {@code requestId} has the form of a job request's id. */
  static boolean jobShaped(CharSequence requestId) {
    if (requestId == null) {
      return false;
    }
    for (int i = 1; i < requestId.length(); i++) {
      if (requestId.charAt(i) == REQUEST_ID_SEPARATOR) {
        return true;
      }
    }
    return false;
  }

  private static Named named(ComplianceDecision decision, String what) {
    return Named.as("jobs-" + decision.name().toLowerCase(Locale.ROOT) + "-" + what);
  }
}
