package io.expertflow.streams.stats;

import static io.expertflow.streams.Fixtures.T0;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.AttributedFeedback;
import io.expertflow.avro.DeadLetter;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ExpertWindowStats;
import io.expertflow.avro.LabelConfusion;
import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.serde.AvroSerdes;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.Fixtures;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ExpertStatsTopologyTest {
  private static final Duration WEEK = Duration.ofDays(7);
  private static final Duration GRACE = Duration.ofDays(1);
  private static final Instant W1 =
      Instant.ofEpochMilli(T0.toEpochMilli() - T0.toEpochMilli() % WEEK.toMillis());
  private static final Instant W2 = W1.plus(WEEK);

  private final TopicNames topics = TopicNames.defaults();
  private final InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
  private TopologyTestDriver driver;
  private TestInputTopic<String, AttributedFeedback> attributed;
  private TestOutputTopic<String, ExpertWindowStats> stats;
  private TestOutputTopic<String, DeadLetter> deadLetters;

  @BeforeEach
  void start() {
    start(true);
  }

  private void start(boolean exactlyOnce) {
    Properties props =
        Fixtures.driverProps("stats-test", registry, topics, "stats", topics.feedbackAttributed());
    if (!exactlyOnce) {
      props.remove(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
    }
    driver =
        new TopologyTestDriver(
            ExpertStatsTopology.build(topics, new StatsConfig(WEEK, GRACE), registry), props, T0);
    attributed =
        driver.createInputTopic(
            topics.feedbackAttributed(),
            Serdes.String().serializer(),
            AvroSerdes.value(AttributedFeedback.class, registry).serializer());
    stats =
        driver.createOutputTopic(
            topics.expertStats(),
            Serdes.String().deserializer(),
            AvroSerdes.value(ExpertWindowStats.class, registry).deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters(),
            Serdes.String().deserializer(),
            AvroSerdes.value(DeadLetter.class, registry).deserializer());
  }

  @AfterEach
  void close() {
    driver.close();
  }

  /** Feedback at event time {@code at}; the record timestamp is deliberately different. */
  private void send(int expert, Instant at, boolean negative, String corrected, String version) {
    AttributedFeedback feedback =
        AttributedFeedback.newBuilder()
            .setFeedbackId("f-" + at.toEpochMilli())
            .setRequestId("r-" + at.toEpochMilli())
            .setExpert(expert)
            .setGateWeight(0.5f)
            .setModelVersion(version)
            .setPredictedLabel("news")
            .setCorrectedLabel(corrected)
            .setNegative(negative)
            .setEventTime(at)
            .build();
    attributed.pipeInput(Integer.toString(expert), feedback, T0);
  }

  @Test
  void shouldEmitExactlyOneRecordPerExpertAndWindowWhenItClosesCountingLateFeedbackWithinGrace() {
    send(17, W1.plus(Duration.ofDays(1)), true, "sports", "v1");
    send(17, W1.plus(Duration.ofDays(2)), false, null, "v1");
    send(3, W1.plus(Duration.ofDays(3)), true, null, "v1");
    send(17, W2.plus(Duration.ofHours(1)), false, null, "v2"); // opens week 2
    assertThat(stats.isEmpty()).as("week 1 still open (grace)").isTrue();

    send(17, W1.plus(Duration.ofDays(6)), true, "sports", "v2"); // late, within grace
    send(3, W2.plus(GRACE).plus(Duration.ofHours(1)), false, null, "v2"); // closes week 1
    send(17, W1.plus(Duration.ofDays(5)), true, null, "v1"); // too late: dropped

    List<KeyValue<String, ExpertWindowStats>> week1 = stats.readKeyValuesToList();
    assertThat(week1).extracting(kv -> kv.key).containsExactlyInAnyOrder("17@" + W1, "3@" + W1);
    ExpertWindowStats e17 = valueOf(week1, "17@" + W1);
    assertThat(e17.getExpert()).isEqualTo(17);
    assertThat(e17.getCount()).isEqualTo(3);
    assertThat(e17.getNegatives()).isEqualTo(2);
    assertThat(e17.getNegativeRate()).isEqualTo(2.0 / 3);
    assertThat(e17.getGateWeightSum()).isEqualTo(1.5);
    assertThat(e17.getConfusion()).containsExactly(new LabelConfusion("news", "sports", 2L));
    assertThat(e17.getModelVersions()).containsExactly("v1", "v2");
    assertThat(e17.getWindowStart()).isEqualTo(W1);
    assertThat(e17.getWindowEnd()).isEqualTo(W2);
    assertThat(valueOf(week1, "3@" + W1).getCount()).isEqualTo(1);

    send(99, W2.plus(WEEK).plus(GRACE).plus(Duration.ofHours(1)), false, null, "v2"); // closes 2

    List<KeyValue<String, ExpertWindowStats>> week2 = stats.readKeyValuesToList();
    assertThat(week2).extracting(kv -> kv.key).containsExactlyInAnyOrder("17@" + W2, "3@" + W2);
    assertThat(week2).allSatisfy(kv -> assertThat(kv.value.getCount()).isEqualTo(1));
    assertThat(stats.isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterUndecodableAttributedFeedbackThroughTheDeserializationHandler() {
    // Under exactly-once the driver's mock producer discards records sent while a record is
    // enqueued (before its first capture), which is where deserialization handlers run; a real
    // producer keeps them in the transaction. So this test drives at-least-once.
    driver.close();
    start(false);
    driver
        .createInputTopic(
            topics.feedbackAttributed(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer())
        .pipeInput("17", new byte[] {0, 0, 0, 0, 42, 1}, T0);
    send(17, W1.plus(Duration.ofDays(1)), true, null, "v1");

    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getReason()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
    assertThat(letter.getStage()).isEqualTo("stats");
    assertThat(letter.getSourceTopic()).isEqualTo(topics.feedbackAttributed());
    assertThat(letter.getOriginalValue().array()).containsExactly(0, 0, 0, 0, 42, 1);
    assertThat(letter.getRequestId()).isNull();
  }

  private static ExpertWindowStats valueOf(
      List<KeyValue<String, ExpertWindowStats>> records, String key) {
    return records.stream().filter(kv -> kv.key.equals(key)).findFirst().orElseThrow().value;
  }
}
