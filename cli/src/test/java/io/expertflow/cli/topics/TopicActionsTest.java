package io.expertflow.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.schemas.topics.TopicMismatch;
import org.junit.jupiter.api.Test;

class TopicActionsTest {
  private final TopicActions actions = new TopicActions("k1:9092", "client.properties");

  @Test
  void shouldAddPartitionsWithKafkaTopicsAndWarnThatKeysMove() {
    TopicActions.Action a =
        actions.forMismatch(new TopicMismatch("x.requests", "partitions", "12", "6"));

    assertThat(a.command())
        .isEqualTo(
            "kafka-topics.sh --bootstrap-server k1:9092 --command-config client.properties"
                + " --alter --topic x.requests --partitions 12");
    assertThat(a.note()).contains("responses and feedback");
  }

  @Test
  void shouldSayThatPartitionsCannotBeRemoved() {
    TopicActions.Action a =
        actions.forMismatch(new TopicMismatch("x.audit", "partitions", "2", "6"));

    assertThat(a.command()).endsWith("--delete --topic x.audit");
    assertThat(a.note()).contains("Kafka cannot remove partitions");
  }

  @Test
  void shouldReassignReplicasForAReplicationFactor() {
    TopicActions.Action a =
        actions.forMismatch(new TopicMismatch("x.audit", "replication-factor", "3", "1"));

    assertThat(a.command())
        .startsWith("kafka-reassign-partitions.sh --bootstrap-server k1:9092")
        .endsWith("--reassignment-json-file x.audit-replicas.json --execute");
    assertThat(a.note()).contains("3 broker ids for each partition");
  }

  @Test
  void shouldAlterAConfigWithKafkaConfigsBracketingALIst() {
    TopicActions plain = new TopicActions("k1:9092", null);

    assertThat(plain.forMismatch(new TopicMismatch("x.a", "retention.ms", "1000", "5")).command())
        .isEqualTo(
            "kafka-configs.sh --bootstrap-server k1:9092 --entity-type topics --entity-name x.a"
                + " --alter --add-config retention.ms=1000");
    assertThat(
            plain
                .forMismatch(new TopicMismatch("x.a", "cleanup.policy", "compact,delete", "delete"))
                .command())
        .endsWith("--add-config cleanup.policy=[compact,delete]");
  }
}
