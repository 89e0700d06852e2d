package io.expertflow.memory.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class FeedCommitTest {
  private static final TopicPartition P0 = new TopicPartition("memory", 0);
  private static final TopicPartition P1 = new TopicPartition("memory", 1);
  private static final Supplier<Map<TopicPartition, Long>> ENDS = () -> Map.of(P0, 10L, P1, 5L);

  @Test
  void shouldReadBackTheOffsetsAndTheTopicIdItRecorded() {
    Map<String, String> data = FeedCommit.userData(Map.of(P0, 7L, P1, 0L), "id-a");

    assertThat(FeedCommit.offset(data, P0)).contains(7L);
    assertThat(FeedCommit.offset(data, P1)).contains(0L);
    assertThat(FeedCommit.offset(data, new TopicPartition("memory", 2))).isEmpty();
    assertThat(FeedCommit.topicId(data)).contains("id-a");
  }

  @Test
  void shouldTellACommitOfAnotherTopicByItsId() {
    Map<String, String> data = FeedCommit.userData(Map.of(P0, 7L), "id-a");
    Supplier<Map<TopicPartition, Long>> never =
        () -> {
          throw new AssertionError("the ends are not needed when the id is recorded");
        };

    assertThat(FeedCommit.fromAnotherTopic(data, "id-a", never, 3)).isFalse();
    assertThat(FeedCommit.fromAnotherTopic(data, "id-b", never, 3)).isTrue();
  }

  @Test
  void shouldJudgeAnIndexWithoutARecordedIdByItsOffsets() {
    assertThat(FeedCommit.fromAnotherTopic(Map.of("offset.memory-0", "10"), "id", ENDS, 4))
        .as("at the end: the same topic can show it")
        .isFalse();
    assertThat(FeedCommit.fromAnotherTopic(Map.of("offset.memory-0", "11"), "id", ENDS, 4))
        .as("past the end")
        .isTrue();
    assertThat(FeedCommit.fromAnotherTopic(Map.of("offset.memory-7", "1"), "id", ENDS, 4))
        .as("a partition the topic does not have")
        .isTrue();
    assertThat(FeedCommit.fromAnotherTopic(Map.of(), "id", ENDS, 4))
        .as("entries without offsets")
        .isTrue();
    assertThat(FeedCommit.fromAnotherTopic(Map.of(), "id", ENDS, 0)).as("a new index").isFalse();
  }
}
