package io.expertflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

class TopicSpecTest {

  @Test
  void shouldNameTheTopicWithItsPrefixAndCarryEveryConfigIntoTheCreateRequest() {
    TopicSpec spec =
        TopicSpec.builder("expert-updates")
            .prefix("expertflow.")
            .partitions(3)
            .replicationFactor((short) 2)
            .cleanupPolicy(CleanupPolicy.COMPACT)
            .retention(Duration.ofHours(1))
            .config("max.message.bytes", "2097152")
            .build();

    NewTopic newTopic = spec.toNewTopic();

    assertThat(newTopic.name()).isEqualTo("expertflow.expert-updates");
    assertThat(newTopic.numPartitions()).isEqualTo(3);
    assertThat(newTopic.replicationFactor()).isEqualTo((short) 2);
    assertThat(newTopic.configs())
        .containsEntry("cleanup.policy", "compact")
        .containsEntry("retention.ms", "3600000")
        .containsEntry("max.message.bytes", "2097152");
  }

  @Test
  void shouldLeaveRetentionToTheBrokerWhenNotSet() {
    TopicSpec spec = TopicSpec.builder("audit").build();

    assertThat(spec.retention()).isEmpty();
    assertThat(spec.topicConfigs()).containsOnlyKeys("cleanup.policy");
  }

  @Test
  void shouldRejectAnIllegalTopicNameAndSayWhichCharactersAreAllowed() {
    assertThatThrownBy(() -> TopicSpec.builder("requests").prefix("my app/").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'my app/requests'")
        .hasMessageContaining("a-z");
  }

  @Test
  void shouldRejectZeroPartitionsNamingTheTopic() {
    assertThatThrownBy(() -> TopicSpec.builder("requests").partitions(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("requests")
        .hasMessageContaining("got 0");
  }

  @Test
  void shouldRejectCleanupPolicyGivenAsAnExtraConfig() {
    assertThatThrownBy(
            () -> TopicSpec.builder("requests").config("cleanup.policy", "compact").build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cleanupPolicy(..)");
  }

  @Test
  void shouldRebuildAnEqualSpecFromItsBuilder() {
    TopicSpec spec =
        TopicSpec.builder("feedback").prefix("p.").partitions(4).config("a", "b").build();

    assertThat(spec.toBuilder().build()).isEqualTo(spec).hasSameHashCodeAs(spec);
    assertThat(spec.toBuilder().partitions(5).build()).isNotEqualTo(spec);
  }
}
