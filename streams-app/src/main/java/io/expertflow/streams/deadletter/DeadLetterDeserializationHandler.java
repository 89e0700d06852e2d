package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetterReason;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters records that cannot be decoded and goes on. A registry outage fails the task (the
 * record is fine; exactly-once replays it once the thread is replaced). Records of topics another
 * topology owns are skipped with a log line. Configured by {@link DeadLetterHandlerConfig}; called
 * on stream threads, stateless after {@link #configure}.
 */
public final class DeadLetterDeserializationHandler implements DeserializationExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterDeserializationHandler.class);
  private DeadLetterHandlerConfig config;

  @Override
  public void configure(Map<String, ?> configs) {
    config = DeadLetterHandlerConfig.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
    Optional<DeadLetterReason> reason = FailureClassifier.decodeFailure(exception);
    if (reason.isEmpty()) {
      LOG.error(
          "cannot decode {} for a transient reason; failing the task to retry: {}",
          DeadLetterRecords.where(context),
          FailureClassifier.describe(exception));
      return Response.fail();
    }
    if (!config.owns(record.topic())) {
      LOG.warn(
          "skipping undecodable record {} ({}); its owning topology dead-letters it",
          DeadLetterRecords.where(context),
          reason.get());
      return Response.resume();
    }
    LOG.warn(
        "dead-lettering undecodable record {}: {}", DeadLetterRecords.where(context), reason.get());
    return Response.resume(
        DeadLetterRecords.of(
            config,
            context,
            record.key(),
            record.value(),
            reason.get(),
            FailureClassifier.describe(exception)
                + "; fix the producer of "
                + record.topic()
                + " and replay original_value"));
  }
}
