package io.expertflow.streams.review;

import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.ReviewDecision;
import io.expertflow.avro.ReviewVerdict;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerializer;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a reviewer's decision: a {@link ReviewDecision} on {@code review-decisions} and, when the
 * label was corrected, a {@link FeedbackEvent} with the corrected label on {@code feedback}, both
 * keyed by request id, in one Kafka transaction, so the weekly update learns from exactly the
 * decisions that were recorded. One transactional producer, used by one caller at a time; created
 * on first use and created again after a failed transaction. Thread-safe.
 */
public final class ReviewDecisionWriter implements AutoCloseable {
  /** The {@code source} of feedback events from the review console: this, a colon, the reviewer. */
  public static final String FEEDBACK_SOURCE = "review";

  public static final Duration DEFAULT_SEND_TIMEOUT = Duration.ofSeconds(15);

  private static final Logger LOG = LoggerFactory.getLogger(ReviewDecisionWriter.class);

  private final Map<String, Object> clientProperties;
  private final String transactionalId;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Clock clock;
  private KafkaProducer<String, SpecificRecord> producer;

  /**
   * @param clientProperties connection settings (bootstrap servers, security)
   * @param transactionalId unique per instance, stable across its restarts
   */
  public ReviewDecisionWriter(
      Map<String, Object> clientProperties,
      String transactionalId,
      SchemaRegistryClient registry,
      TopicNames topics,
      Clock clock) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.transactionalId = transactionalId;
    this.registry = registry;
    this.topics = topics;
    this.clock = clock;
  }

  /**
   * Writes {@code request}'s decision (and feedback) and returns the decision once committed.
   *
   * @throws ReviewWriteException when the transaction could not be committed (nothing was written)
   */
  public synchronized ReviewDecision write(ReviewVerdictRequest request) {
    ReviewItem item = request.item();
    long now = clock.millis();
    String decisionId = UUID.randomUUID().toString();
    boolean corrected = request.verdict() == ReviewVerdict.CORRECTED;
    String feedbackId = corrected ? "review-" + decisionId : null;
    ReviewDecision decision =
        ReviewDecision.newBuilder()
            .setDecisionId(decisionId)
            .setRequestId(item.requestId())
            .setDocumentId(item.documentId())
            .setTenant(item.tenant())
            .setJobId(item.jobId())
            .setReviewer(request.reviewer())
            .setDecision(request.verdict())
            .setPredictedLabel(item.predictedLabel())
            .setCorrectedLabel(corrected ? request.correctedLabel() : null)
            .setDecidingRule(item.decidingRule())
            .setModelName(item.modelName())
            .setModelVersion(item.modelVersion())
            .setFeedbackId(feedbackId)
            .setDecidedAt(java.time.Instant.ofEpochMilli(now))
            .build();
    KafkaProducer<String, SpecificRecord> p = producer();
    try {
      p.beginTransaction();
      var sent = p.send(new ProducerRecord<>(topics.reviewDecisions(), item.requestId(), decision));
      var feedback =
          corrected
              ? p.send(
                  new ProducerRecord<>(
                      topics.feedback(),
                      item.requestId(),
                      FeedbackEvent.newBuilder()
                          .setFeedbackId(feedbackId)
                          .setRequestId(item.requestId())
                          .setCorrectedLabel(request.correctedLabel())
                          .setSource(FEEDBACK_SOURCE + ":" + request.reviewer())
                          .setEventTime(java.time.Instant.ofEpochMilli(now))
                          .build()))
              : null;
      p.commitTransaction();
      sent.get(DEFAULT_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      if (feedback != null) {
        feedback.get(DEFAULT_SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      LOG.info(
          "review decision {} on request {} by {}: {}",
          decisionId,
          item.requestId(),
          request.reviewer(),
          request.verdict());
      return decision;
    } catch (KafkaException | ExecutionException | TimeoutException e) {
      discard(p);
      throw new ReviewWriteException(
          "the decision on request "
              + item.requestId()
              + " could not be written to Kafka (nothing was recorded; try again): "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      discard(p);
      throw new ReviewWriteException("interrupted while writing the decision", e);
    }
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    if (producer == null) {
      Map<String, Object> props = new HashMap<>(clientProperties);
      props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
      props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
      props.put(ProducerConfig.ACKS_CONFIG, "all");
      props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, DEFAULT_SEND_TIMEOUT.toMillis());
      props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) DEFAULT_SEND_TIMEOUT.toMillis());
      props.put(ProducerConfig.LINGER_MS_CONFIG, 0);
      props.put(
          ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) DEFAULT_SEND_TIMEOUT.toMillis() / 2);
      KafkaProducer<String, SpecificRecord> p;
      try {
        p =
            new KafkaProducer<>(
                props, new StringSerializer(), new AvroSerializer<>(registry, false));
      } catch (KafkaException e) {
        throw new ReviewWriteException(
            "cannot create the producer of review decisions: " + e.getMessage(), e);
      }
      try {
        p.initTransactions();
      } catch (KafkaException e) {
        p.close(Duration.ZERO);
        throw new ReviewWriteException(
            "cannot start the transactional producer of review decisions: " + e.getMessage(), e);
      }
      producer = p;
    }
    return producer;
  }

  private void discard(KafkaProducer<String, SpecificRecord> p) {
    try {
      p.abortTransaction();
    } catch (KafkaException | IllegalStateException ignored) {
      // a fenced or failed producer cannot abort; closing it aborts on the broker's side
    }
    p.close(Duration.ZERO);
    producer = null;
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(5));
      producer = null;
    }
  }

  /** A decision that was not recorded. */
  public static final class ReviewWriteException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ReviewWriteException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
