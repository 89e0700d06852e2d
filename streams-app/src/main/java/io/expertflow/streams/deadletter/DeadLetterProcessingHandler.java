package io.expertflow.streams.deadletter;

import io.expertflow.avro.DeadLetterReason;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dead-letters the source record of an unexpected processing failure (reason {@code INTERNAL}) and
 * goes on; transient failures fail the task so exactly-once replays the record. Called on stream
 * threads, stateless after {@link #configure}.
 */
public final class DeadLetterProcessingHandler implements ProcessingExceptionHandler {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterProcessingHandler.class);
  private DeadLetterHandlerConfig config;

  @Override
  public void configure(Map<String, ?> configs) {
    config = DeadLetterHandlerConfig.from(configs);
  }

  @Override
  public Response handleError(
      ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
    Optional<DeadLetterReason> reason = FailureClassifier.processingFailure(exception);
    if (reason.isEmpty()) {
      LOG.error(
          "processing {} failed for a transient reason; failing the task to retry: {}",
          DeadLetterRecords.where(context),
          FailureClassifier.describe(exception));
      return Response.fail();
    }
    LOG.error(
        "dead-lettering {} after a processing failure in {}",
        DeadLetterRecords.where(context),
        context.processorNodeId(),
        exception);
    return Response.resume(
        DeadLetterRecords.of(
            config,
            context,
            context.sourceRawKey(),
            context.sourceRawValue(),
            reason.get(),
            "processor "
                + context.processorNodeId()
                + " failed: "
                + FailureClassifier.describe(exception)
                + "; this is a bug or an unexpected input: report it with this dead letter"));
  }
}
