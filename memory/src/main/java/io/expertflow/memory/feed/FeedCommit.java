package io.expertflow.memory.feed;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.TopicPartition;

/**
 * What a {@link MemoryFeed} records with each commit of its index (Lucene commit user data): the
 * offset it has applied of every partition and the id Kafka gave the topic when it was made, and
 * whether a commit read back belongs to the topic there is now. A topic deleted and made again
 * under its name, a new local stack or another cluster has another id; the feed then rebuilds the
 * index rather than resume from offsets of a topic that is gone. Stateless.
 */
final class FeedCommit {
  private static final String OFFSET_PREFIX = "offset.";
  private static final String TOPIC_ID = "topic.id";
  private static final Duration DESCRIBE_TIMEOUT = Duration.ofSeconds(30);

  private FeedCommit() {}

  /** The user data of a commit: each partition's next offset, and the topic's id. */
  static Map<String, String> userData(Map<TopicPartition, Long> positions, String topicId) {
    Map<String, String> data = new HashMap<>();
    positions.forEach((tp, offset) -> data.put(OFFSET_PREFIX + tp, Long.toString(offset)));
    data.put(TOPIC_ID, topicId);
    return data;
  }

  /** The offset a commit recorded for {@code tp}, if any. */
  static Optional<Long> offset(Map<String, String> committed, TopicPartition tp) {
    return Optional.ofNullable(committed.get(OFFSET_PREFIX + tp)).map(Long::parseLong);
  }

  /** The topic id a commit recorded; empty for an index written before ids were recorded. */
  static Optional<String> topicId(Map<String, String> committed) {
    return Optional.ofNullable(committed.get(TOPIC_ID));
  }

  /**
   * Whether a commit came from another topic than the one of {@code topicId}: it names another id,
   * or (an index that recorded none) an offset past a partition's end or of a partition the topic
   * does not have, which the same topic cannot show, or no offsets at all while the index holds
   * entries (the feed would replay the whole topic over them).
   *
   * @param ends each partition's end offset, asked only for an index without a recorded id
   */
  static boolean fromAnotherTopic(
      Map<String, String> committed,
      String topicId,
      Supplier<Map<TopicPartition, Long>> ends,
      long entries) {
    Optional<String> recorded = topicId(committed);
    if (recorded.isPresent()) {
      return !recorded.get().equals(topicId);
    }
    if (committed.keySet().stream().noneMatch(k -> k.startsWith(OFFSET_PREFIX))) {
      return entries > 0;
    }
    Map<String, Long> end = new HashMap<>();
    ends.get().forEach((tp, offset) -> end.put(OFFSET_PREFIX + tp, offset));
    for (Map.Entry<String, String> e : committed.entrySet()) {
      if (e.getKey().startsWith(OFFSET_PREFIX)) {
        Long last = end.get(e.getKey());
        if (last == null || Long.parseLong(e.getValue()) > last) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * The id Kafka gave {@code topic} when it was made.
   *
   * @param kafkaProperties the component's client properties; those an admin client does not know
   *     are left out
   */
  static String describeTopicId(
      Map<String, Object> kafkaProperties, String clientId, String topic) {
    Map<String, Object> props = new HashMap<>(kafkaProperties);
    props.keySet().retainAll(AdminClientConfig.configNames());
    props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
    try (Admin admin = Admin.create(props)) {
      return admin
          .describeTopics(List.of(topic))
          .allTopicNames()
          .get(DESCRIBE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .get(topic)
          .topicId()
          .toString();
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot describe topic " + topic + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "cannot describe topic " + topic + " within " + DESCRIBE_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing topic " + topic, e);
    }
  }
}
