package io.expertflow.streams.feedback;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.FeedbackEvent;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.schemas.serde.WireFormatException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.WindowStore;

/**
 * Keeps each response by request id and releases the feedback that was waiting for it. One instance
 * per task; stream thread only.
 */
final class ResponseRecorder
    implements Processor<String, InferenceResponse, String, SpecificRecord> {
  private final Deserializer<FeedbackEvent> feedbackDeserializer;
  private final FeedbackEmitter emitter;
  private ProcessorContext<String, SpecificRecord> context;
  private WindowStore<String, InferenceResponse> responses;
  private KeyValueStore<String, ParkedFeedback> waiting;

  ResponseRecorder(Deserializer<FeedbackEvent> feedbackDeserializer, FeedbackEmitter emitter) {
    this.feedbackDeserializer = feedbackDeserializer;
    this.emitter = emitter;
  }

  @Override
  public void init(ProcessorContext<String, SpecificRecord> context) {
    this.context = context;
    this.responses = context.getStateStore(FeedbackTopology.RESPONSES_STORE);
    this.waiting = context.getStateStore(FeedbackTopology.WAITING_STORE);
  }

  @Override
  public void process(Record<String, InferenceResponse> record) {
    InferenceResponse response = record.value();
    if (response == null) {
      return;
    }
    String requestId = response.getRequestId();
    responses.put(requestId, response, record.timestamp());
    List<KeyValue<String, ParkedFeedback>> released = new ArrayList<>();
    try (KeyValueIterator<String, ParkedFeedback> it =
        waiting.prefixScan(FeedbackJoiner.waitingPrefix(requestId), Serdes.String().serializer())) {
      it.forEachRemaining(released::add);
    }
    for (KeyValue<String, ParkedFeedback> entry : released) {
      waiting.delete(entry.key);
      ParkedFeedback parked = entry.value;
      FeedbackEvent event;
      try {
        event = feedbackDeserializer.deserialize(parked.source().topic(), parked.source().value());
      } catch (WireFormatException e) {
        emitter.deadLetter(context, e.reason(), e.getMessage(), requestId, parked.source());
        continue;
      }
      if (event == null) {
        emitter.deadLetter(
            context, DeadLetterReason.UNDECODABLE, "tombstone", requestId, parked.source());
        continue;
      }
      emitter.attribute(context, event, response, parked.source());
    }
  }
}
