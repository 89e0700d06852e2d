package io.expertflow.streams;

import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.schemas.tracing.Tracing;
import io.expertflow.streams.compliance.ComplianceTopology;
import io.expertflow.streams.feedback.FeedbackTopology;
import io.expertflow.streams.intake.IntakeTopology;
import io.expertflow.streams.jobs.JobTopology;
import io.expertflow.streams.memory.MemoryTopology;
import io.expertflow.streams.review.ReviewTopology;
import io.expertflow.streams.stats.ExpertStatsTopology;
import io.expertflow.streams.status.RequestStatusTopology;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.streams.Topology;

/**
 * The topologies of the app. Each runs as its own {@code KafkaStreams} with application id {@code
 * <application.id>-<id>}, so each scales, fails and restarts on its own and can be switched off.
 */
public enum AppTopology {
  INTAKE("intake"),
  COMPLIANCE("compliance"),
  STATUS("status"),
  FEEDBACK("feedback"),
  STATS("stats"),
  JOBS("jobs"),
  REVIEW("review"),
  MEMORY("memory");

  private final String id;

  AppTopology(String id) {
    this.id = id;
  }

  /** Lower-case id, used in application ids, dead-letter stages and the topologies key. */
  public String id() {
    return id;
  }

  /** The topology with this id (case-insensitive). */
  public static AppTopology fromId(String id) {
    for (AppTopology t : values()) {
      if (t.id.equals(id.trim().toLowerCase(Locale.ROOT))) {
        return t;
      }
    }
    throw new IllegalArgumentException(
        "unknown topology '"
            + id
            + "'; use intake, compliance, status, feedback, stats, jobs, review or memory");
  }

  /**
   * Source topics whose undecodable records this topology dead-letters; bad records of its other
   * inputs are dead-lettered by the topology that owns them.
   */
  public Set<String> ownedTopics(TopicNames topics) {
    return switch (this) {
      case INTAKE -> Set.of(topics.requestsInbound());
      case COMPLIANCE -> Set.of(topics.responses());
      case FEEDBACK -> Set.of(topics.feedback());
      case STATS -> Set.of(topics.feedbackAttributed());
      case STATUS ->
          Set.of(topics.responsesApproved(), topics.responsesReview(), topics.responsesBlocked());
      case REVIEW -> Set.of(topics.reviewDecisions());
      case JOBS, MEMORY -> Set.of();
    };
  }

  /** Builds this topology; {@code sealer} signs audit records (compliance only) when present. */
  public Topology build(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      ComplianceRules rules,
      Optional<AuditSealer> sealer) {
    return build(config, registry, rules, sealer, Tracing.off());
  }

  /** As above; {@code tracing} writes the intake's spans. */
  public Topology build(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      ComplianceRules rules,
      Optional<AuditSealer> sealer,
      Tracing tracing) {
    TopicNames topics = config.topics();
    return switch (this) {
      case INTAKE ->
          IntakeTopology.build(topics, config.intake(), registry, config.instanceId(), tracing);
      case COMPLIANCE ->
          ComplianceTopology.build(topics, rules, registry, config.instanceId(), sealer);
      case STATUS -> RequestStatusTopology.build(topics, registry);
      case FEEDBACK ->
          FeedbackTopology.build(topics, config.feedback(), registry, config.instanceId());
      case STATS -> ExpertStatsTopology.build(topics, config.stats(), registry);
      case JOBS -> JobTopology.build(topics, registry);
      case REVIEW -> ReviewTopology.build(topics, registry);
      case MEMORY -> MemoryTopology.build(topics, registry);
    };
  }
}
