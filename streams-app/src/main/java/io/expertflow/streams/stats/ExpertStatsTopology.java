package io.expertflow.streams.stats;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.operators.feedback.ExpertStatsAggregator;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.Suppressed;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * The statistics topology: {@code feedback.attributed} (key expert id) -> tumbling windows of
 * {@link StatsConfig#windowSize()} with {@link StatsConfig#grace()} over the feedback event time ->
 * suppressed until the window closes -> {@code expert-stats}, key {@code <expert>@<window start,
 * ISO-8601>}. Records later than the grace are dropped by Kafka Streams and counted in its {@code
 * dropped-records} task metric.
 */
public final class ExpertStatsTopology {
  /** Window store of the running aggregates. */
  public static final String STATS_STORE = "expert-stats-windows";

  private ExpertStatsTopology() {}

  public static Topology build(
      TopicNames topics, StatsConfig config, SchemaRegistryClient registry) {
    Serde<AttributedFeedback> feedbackSerde = AvroSerdes.value(AttributedFeedback.class, registry);
    Serde<ExpertWindowStats> statsSerde = AvroSerdes.value(ExpertWindowStats.class, registry);
    StreamsBuilder builder = new StreamsBuilder();
    builder.stream(
            topics.feedbackAttributed(),
            Consumed.with(Serdes.String(), feedbackSerde)
                .withTimestampExtractor(new FeedbackEventTimeExtractor())
                .withName("attributed-feedback-source"))
        .groupByKey(Grouped.with(Serdes.String(), feedbackSerde))
        .windowedBy(TimeWindows.ofSizeAndGrace(config.windowSize(), config.grace()))
        .aggregate(
            ExpertStatsAggregator::empty,
            (expert, feedback, stats) -> ExpertStatsAggregator.add(stats, feedback),
            Named.as("expert-stats-aggregate"),
            Materialized.<String, ExpertWindowStats, WindowStore<Bytes, byte[]>>as(STATS_STORE)
                .withKeySerde(Serdes.String())
                .withValueSerde(statsSerde)
                .withRetention(config.windowSize().plus(config.grace())))
        .suppress(
            Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                .withName("expert-stats-until-window-closes"))
        .toStream(Named.as("closed-windows"))
        .map(
            (window, stats) ->
                KeyValue.pair(
                    stats.getExpert() + "@" + Instant.ofEpochMilli(window.window().start()),
                    ExpertStatsAggregator.close(
                        stats, stats.getExpert(), window.window().start(), window.window().end())),
            Named.as("stamp-window"))
        .to(
            topics.expertStats(),
            Produced.with(Serdes.String(), statsSerde).withName("expert-stats-sink"));
    return builder.build();
  }
}
