package io.expertflow.streams;

import io.expertflow.operators.audit.AuditSealer;
import io.expertflow.operators.compliance.ComplianceRules;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.tracing.Tracing;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The app's {@link KafkaStreams}, one per enabled topology, built but not started. */
final class TopologyClients {
  private static final Logger LOG = LoggerFactory.getLogger(TopologyClients.class);

  private TopologyClients() {}

  /**
   * Builds a {@link KafkaStreams} for every enabled topology; {@code applicationServer} is given to
   * the queryable ones (status, jobs, review). A dying stream thread is replaced. If one cannot be
   * built, those already built are closed: a state folder another app on this machine holds is
   * refused with what to do about it, any other failure as it came.
   */
  static Map<AppTopology, KafkaStreams> build(
      StreamsAppConfig config,
      SchemaRegistryClient registry,
      ComplianceRules rules,
      Optional<AuditSealer> sealer,
      Tracing tracing,
      Optional<String> applicationServer) {
    Map<AppTopology, KafkaStreams> built = new EnumMap<>(AppTopology.class);
    try {
      for (AppTopology topology : config.topologies()) {
        KafkaStreams kafkaStreams =
            new KafkaStreams(
                topology.build(config, registry, rules, sealer, tracing),
                StreamsProperties.of(
                    config,
                    topology,
                    registry,
                    topology == AppTopology.STATUS
                            || topology == AppTopology.JOBS
                            || topology == AppTopology.REVIEW
                        ? applicationServer
                        : Optional.empty()));
        kafkaStreams.setUncaughtExceptionHandler(
            e -> {
              LOG.error("{} stream thread died; replacing it", topology.id(), e);
              return StreamThreadExceptionResponse.REPLACE_THREAD;
            });
        built.put(topology, kafkaStreams);
      }
      return built;
    } catch (RuntimeException e) {
      built.values().forEach(s -> s.close(Duration.ZERO));
      throw heldElsewhere(e) ? stateFolderInUse(config, e) : e;
    }
  }

  /**
   * Whether Kafka Streams could not lock its state folder: another process, or another app in this
   * one, runs the same application id on it.
   */
  private static boolean heldElsewhere(RuntimeException e) {
    return e instanceof StreamsException
        && e.getMessage() != null
        && e.getMessage().contains("multiple instances of Kafka Streams");
  }

  private static IllegalStateException stateFolderInUse(
      StreamsAppConfig config, RuntimeException cause) {
    return new IllegalStateException(
        "the streams state folder "
            + config.stateDir()
            + " is in use by another streams app of application id '"
            + config.applicationId()
            + "' on this machine; give each instance its own state folder (state.dir, or"
            + " --state-dir DIR) or stop the other one",
        cause);
  }
}
