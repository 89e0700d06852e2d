package io.expertflow.streams.memory;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.InferenceResponse;
import io.expertflow.avro.MemoryRecord;
import io.expertflow.memory.feed.MemoryRecords;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import java.util.List;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;

/**
 * The memory topology: writes the document memory's feed. Every OK response that carries its
 * embedding becomes an ANSWERED record keyed by request id; every attributed feedback that names a
 * corrected label becomes a CORRECTED record keyed by {@link MemoryRecords#correctionKey}
 * (attributed feedback comes once per expert that served the request; the copies share the key, so
 * compaction keeps one). Stateless; exactly once like every topology of the app. Owns no input
 * topic: undecodable responses and attributed feedback are dead-lettered by compliance and stats.
 */
public final class MemoryTopology {
  private MemoryTopology() {}

  public static Topology build(TopicNames topics, SchemaRegistryClient registry) {
    Serde<MemoryRecord> records = AvroSerdes.value(MemoryRecord.class, registry);
    Produced<String, MemoryRecord> toMemory =
        Produced.with(Serdes.String(), records).withName("memory-sink");
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            topics.responses(),
            Consumed.with(Serdes.String(), AvroSerdes.value(InferenceResponse.class, registry))
                .withName("memory-responses-source"))
        .flatMap(
            (key, r) ->
                r == null
                    ? List.<KeyValue<String, MemoryRecord>>of()
                    : MemoryRecords.answered(r)
                        .map(m -> List.of(KeyValue.pair(r.getRequestId(), m)))
                        .orElse(List.of()),
            Named.as("memory-answered"))
        .to(topics.memory(), toMemory);
    builder.stream(
            topics.feedbackAttributed(),
            Consumed.with(Serdes.String(), AvroSerdes.value(AttributedFeedback.class, registry))
                .withName("memory-feedback-source"))
        .flatMap(
            (key, f) ->
                f == null
                    ? List.<KeyValue<String, MemoryRecord>>of()
                    : MemoryRecords.corrected(f)
                        .map(
                            m ->
                                List.of(
                                    KeyValue.pair(
                                        MemoryRecords.correctionKey(f.getRequestId()), m)))
                        .orElse(List.of()),
            Named.as("memory-corrected"))
        .to(
            topics.memory(),
            Produced.with(Serdes.String(), records).withName("memory-corrections-sink"));
    return builder.build();
  }
}
