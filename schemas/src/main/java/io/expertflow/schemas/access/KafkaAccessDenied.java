package io.expertflow.schemas.access;

import java.util.Collection;
import java.util.Optional;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/**
 * Says which ACL a Kafka client lacked when the brokers refused it: {@code not authorised to Read
 * topic expertflow.responses}. Kafka's own messages name the topics or the group but not the
 * operation; the caller knows what it was doing with the topics ({@link #READ} or {@link #WRITE})
 * and says so. Stateless.
 */
public final class KafkaAccessDenied extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** What a consumer does with a topic. */
  public static final String READ = "Read";

  /** What a producer does with a topic. */
  public static final String WRITE = "Write";

  private KafkaAccessDenied(String message, Throwable cause) {
    super(message, cause);
  }

  /**
   * The refusal in {@code failure} or its causes, as an exception whose message names the missing
   * permission; empty when no cause is a Kafka authorization failure.
   *
   * @param topicOperation the operation the client needed on the refused topics ({@link #READ},
   *     {@link #WRITE}), or null when not known
   */
  public static Optional<KafkaAccessDenied> of(Throwable failure, String topicOperation) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KafkaAccessDenied denied) {
        return Optional.of(denied);
      }
      if (t instanceof AuthorizationException refused) {
        return Optional.of(new KafkaAccessDenied(message(refused, topicOperation), refused));
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return Optional.empty();
  }

  private static String message(AuthorizationException refused, String topicOperation) {
    if (refused instanceof TopicAuthorizationException topics) {
      String operation = topicOperation == null ? "Describe" : topicOperation;
      Collection<String> names = new TreeSet<>(topics.unauthorizedTopics());
      String resource =
          names.isEmpty()
              ? "the topic"
              : (names.size() == 1 ? "topic " : "topics ") + String.join(", ", names);
      return "not authorised to "
          + (topicOperation == null ? "use " : operation + " ")
          + resource
          + ": the client's principal needs the "
          + (topicOperation == null
              ? "Describe, and Read to consume or Write to produce,"
              : operation + " and Describe")
          + " ACL on "
          + (names.size() == 1 ? "it" : "them")
          + " (kafka-acls --add --allow-principal User:NAME --operation "
          + operation
          + " --topic "
          + (names.isEmpty() ? "TOPIC" : names.iterator().next())
          + ")";
    }
    if (refused instanceof GroupAuthorizationException group) {
      String name = group.groupId() == null ? "GROUP" : group.groupId();
      return "not authorised to Read group "
          + name
          + ": the client's principal needs the Read and Describe ACL on the consumer group"
          + " (kafka-acls --add --allow-principal User:NAME --operation Read --group "
          + name
          + ")";
    }
    if (refused instanceof TransactionalIdAuthorizationException) {
      return "not authorised to Write transactionalId (the producer's transactional.id): the"
          + " client's principal needs the Write and Describe ACL on it (kafka-acls --add"
          + " --allow-principal User:NAME --operation Write --transactional-id ID)";
    }
    if (refused instanceof ClusterAuthorizationException) {
      return "not authorised on the Kafka cluster resource: "
          + refused.getMessage()
          + " (an idempotent or transactional producer on an old cluster needs IdempotentWrite"
          + " on the cluster)";
    }
    return "not authorised by the Kafka cluster: " + refused.getMessage();
  }
}
