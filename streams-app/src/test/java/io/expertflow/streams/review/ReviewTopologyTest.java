package io.expertflow.streams.review;

import static io.expertflow.streams.Fixtures.SECRET_TEXT;
import static io.expertflow.streams.Fixtures.T0;
import static io.expertflow.streams.Fixtures.request;
import static io.expertflow.streams.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AuditRecord;
import io.expertflow.avro.ComplianceDecision;
import io.expertflow.avro.InferenceRequest;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.ReviewDecision;
import io.expertflow.avro.ReviewVerdict;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ReviewTopologyTest {
  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private TopologyTestDriver driver;
  private TestInputTopic<String, InferenceRequest> requests;
  private TestInputTopic<String, InferenceResponse> responses;
  private TestInputTopic<String, InferenceResponse> review;
  private TestInputTopic<String, AuditRecord> audit;
  private TestInputTopic<String, ReviewDecision> decisions;
  private KeyValueStore<String, ReviewItem> items;
  private KeyValueStore<String, String> queue;
  private KeyValueStore<String, LabelSet> labels;

  @BeforeEach
  void start() {
    driver =
        new TopologyTestDriver(
            ReviewTopology.build(topics, registry, Duration.ofDays(1)),
            Fixtures.driverProps("review-test", registry, topics, "review"),
            T0);
    requests = input(topics.requests(), InferenceRequest.class);
    responses = input(topics.responses(), InferenceResponse.class);
    review = input(topics.responsesReview(), InferenceResponse.class);
    audit = input(topics.audit(), AuditRecord.class);
    decisions = input(topics.reviewDecisions(), ReviewDecision.class);
    items = driver.getKeyValueStore(ReviewTopology.ITEMS_STORE);
    queue = driver.getKeyValueStore(ReviewTopology.QUEUE_STORE);
    labels = driver.getKeyValueStore(ReviewTopology.LABELS_STORE);
  }

  @AfterEach
  void close() {
    driver.close();
  }

  private <T extends org.apache.avro.specific.SpecificRecord> TestInputTopic<String, T> input(
      String topic, Class<T> type) {
    return driver.createInputTopic(
        topic, Serdes.String().serializer(), AvroSerdes.value(type, registry).serializer());
  }

  private static AuditRecord audited(String id, ComplianceDecision decision, String rule) {
    return AuditRecord.newBuilder()
        .setRequestId(id)
        .setDocumentId("doc-" + id)
        .setTenant("acme")
        .setInputSha256("in")
        .setOutputSha256("out")
        .setModelName("minilm-moe")
        .setModelVersion("v1")
        .setExperts(List.of())
        .setDecision(decision)
        .setDecidingRule(rule)
        .setRuleOutcomes(List.of())
        .setAuditedAt(T0)
        .build();
  }

  private void answer(String id, String label, long secondsAfterT0, ComplianceDecision decision) {
    InferenceResponse r =
        response(id, label, 0.55f).setProducedAt(T0.plusSeconds(secondsAfterT0)).build();
    responses.pipeInput(id, r, T0);
    if (decision == ComplianceDecision.REVIEW) {
      review.pipeInput(id, r, T0);
    }
    audit.pipeInput(id, audited(id, decision, "low-confidence"), T0);
  }

  private List<String> queued() {
    List<String> ids = new ArrayList<>();
    try (KeyValueIterator<String, String> all = queue.all()) {
      all.forEachRemaining((KeyValue<String, String> kv) -> ids.add(kv.value));
    }
    return ids;
  }

  @Test
  void shouldQueueReviewedResponsesOldestFirstWithTextRuleLabelsAndExperts() {
    requests.pipeInput("doc-r1", request("r1").build(), T0);
    requests.pipeInput("doc-r2", request("r2").setJobId("job-1").build(), T0);
    answer("r2", "news", 30, ComplianceDecision.REVIEW);
    answer("r1", "news", 60, ComplianceDecision.REVIEW);

    assertThat(queued()).containsExactly("r2", "r1");
    ReviewItem r2 = items.get("r2");
    assertThat(r2.pending()).isTrue();
    assertThat(r2.text()).isEqualTo(SECRET_TEXT);
    assertThat(r2.jobId()).isEqualTo("job-1");
    assertThat(r2.decidingRule()).isEqualTo("low-confidence");
    assertThat(r2.predictedLabel()).isEqualTo("news");
    assertThat(r2.experts()).extracting(ReviewItem.Gate::expert).containsExactly(17, 3);
    assertThat(labels.get("minilm-moe").labels()).containsExactly("news", "other");
  }

  @Test
  void shouldForgetResponsesTheRulesApprovedOrBlocked() {
    requests.pipeInput("doc-a1", request("a1").build(), T0);
    answer("a1", "news", 10, ComplianceDecision.APPROVED);

    assertThat(items.get("a1")).isNull();
    assertThat(queued()).isEmpty();
  }

  @Test
  void shouldTakeADecidedItemOutOfTheQueueDropItsTextAndNeverQueueItAgain() {
    requests.pipeInput("doc-d1", request("d1").build(), T0);
    answer("d1", "news", 10, ComplianceDecision.REVIEW);

    decisions.pipeInput(
        "d1",
        ReviewDecision.newBuilder()
            .setDecisionId("x")
            .setRequestId("d1")
            .setReviewer("ana")
            .setDecision(ReviewVerdict.CORRECTED)
            .setCorrectedLabel("sports")
            .setDecidedAt(T0.plusSeconds(100))
            .build(),
        T0);
    review.pipeInput("d1", response("d1", "news", 0.55f).build(), T0); // a late copy

    assertThat(queued()).isEmpty();
    ReviewItem d1 = items.get("d1");
    assertThat(d1.pending()).isFalse();
    assertThat(d1.decision()).isEqualTo("CORRECTED");
    assertThat(d1.correctedLabel()).isEqualTo("sports");
    assertThat(d1.text()).isNull();
  }

  @Test
  void shouldQueueAResponseThatArrivesBeforeItsRequestAndAddTheTextLater() {
    answer("e1", "news", 10, ComplianceDecision.REVIEW);
    assertThat(queued()).containsExactly("e1");
    assertThat(items.get("e1").text()).isNull();

    requests.pipeInput("doc-e1", request("e1").build(), T0);

    assertThat(items.get("e1").text()).isEqualTo(SECRET_TEXT);
    assertThat(queued()).containsExactly("e1");
  }

  @Test
  void shouldPurgeTheTextOfRequestsThatNeverReachedReview() {
    requests.pipeInput("doc-p1", request("p1").setSubmittedAt(T0).build(), T0);
    assertThat(items.get("p1")).isNotNull();

    driver.advanceWallClockTime(Duration.ofDays(2));

    assertThat(items.get("p1")).isNull();
  }
}
