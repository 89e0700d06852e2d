package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetterReason;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters (reason {@code PRODUCE_FAILED}) the input record whose output could not be
 * serialized or written, and goes on -- unlike Kafka's default handler, which stops the application
 * even with a dead-letter topic set. Transient failures, and failures to write a dead letter
 * itself, fail the task: nothing may vanish. Called on stream threads, stateless after {@link
 * #configure}.
 */
public final class DeadLetterProductionHandler implements ProductionExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProductionHandler.class);
  private DeadLetterHandlerConfig config;

  @Override
  public void configure(Map<String, ?> configs) {
    config = DeadLetterHandlerConfig.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
    return handle(context, record.topic(), exception, "write to");
  }

  @Override
  @SuppressWarnings("rawtypes")
  public Response handleSerializationError(
      ErrorHandlerContext context,
      ProducerRecord record,
      Exception exception,
      SerializationExceptionOrigin origin) {
    return handle(context, record.topic(), exception, "serialize the " + origin + " for");
  }

  private Response handle(
      ErrorHandlerContext context, String outputTopic, Exception exception, String action) {
    Optional<DeadLetterReason> reason = FailureClassifier.productionFailure(exception);
    if (reason.isEmpty() || config.topic().equals(outputTopic)) {
      LOG.error(
          "cannot {} {} (input {}); failing the task: {}",
          action,
          outputTopic,
          DeadLetterRecords.where(context),
          FailureClassifier.describe(exception));
      return Response.fail();
    }
    LOG.error(
        "cannot {} {}; dead-lettering input {}: {}",
        action,
        outputTopic,
        DeadLetterRecords.where(context),
        FailureClassifier.describe(exception));
    return Response.resume(
        DeadLetterRecords.of(
            config,
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            reason.get(),
            "cannot "
                + action
                + " "
                + outputTopic
                + ": "
                + FailureClassifier.describe(exception)
                + "; fix the cause (record size, schema registry subject) and replay original_value"));
  }
}
