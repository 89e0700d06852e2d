package io.expertflow.schemas.topics;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;

/**
 * Turns what the Kafka admin client throws into a {@link TopicProvisioningException} that says what
 * went wrong with which cluster, and what to do: an unreachable cluster names its bootstrap servers
 * and the wait, an authorization failure names the ACL operation that is missing. Stateless apart
 * from the cluster's address; safe to share.
 */
final class AdminFailures {

  /**
   * One kind of admin request, with the ACL operation Kafka checks for it.
   *
   * @param what what the request does, for example {@code describe topics}
   * @param operation the ACL operation it needs, as {@code kafka-acls --operation} spells it
   * @param onTopics whether the operation is checked on topics (else on the cluster)
   */
  record Step(String what, String operation, boolean onTopics) {}

  static final Step DESCRIBE_CLUSTER = new Step("describe the cluster", "Describe", false);
  static final Step DESCRIBE_TOPICS = new Step("describe topics", "Describe", true);
  static final Step DESCRIBE_CONFIGS = new Step("describe topic configs", "DescribeConfigs", true);
  static final Step CREATE_TOPICS = new Step("create topics", "Create", true);

  private final String bootstrapServers;
  private final Duration timeout;

  AdminFailures(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  /** The exception to throw for {@code cause}, thrown while trying {@code step}. */
  TopicProvisioningException explain(Step step, Throwable cause) {
    if (cause instanceof TopicProvisioningException provisioning
        && !(provisioning instanceof TopicMismatchException)
        && provisioning.getCause() != null) {
      cause = provisioning.getCause();
    }
    if (cause instanceof TopicMismatchException mismatch) {
      return mismatch;
    }
    if (cause instanceof TopicAuthorizationException denied) {
      return notAuthorized(step, new TreeSet<>(denied.unauthorizedTopics()), cause);
    }
    if (cause instanceof ClusterAuthorizationException) {
      return new TopicProvisioningException(
          "Not authorized to "
              + step.what()
              + " on Kafka at "
              + bootstrapServers
              + ": the client's principal needs the "
              + step.operation()
              + " operation on the Cluster resource, for example: kafka-acls --bootstrap-server "
              + bootstrapServers
              + " --add --allow-principal User:NAME --operation "
              + step.operation()
              + " --cluster",
          cause);
    }
    if (cause instanceof AuthenticationException) {
      return new TopicProvisioningException(
          "Could not authenticate to Kafka at "
              + bootstrapServers
              + ": "
              + cause.getMessage()
              + ". Check the client security settings (security.protocol, sasl.*, ssl.*).",
          cause);
    }
    if (cause instanceof TimeoutException
        || cause instanceof java.util.concurrent.TimeoutException) {
      return unreachable(step, cause);
    }
    return new TopicProvisioningException(
        "Could not " + step.what() + " on Kafka at " + bootstrapServers + ": " + cause.getMessage(),
        cause);
  }

  /** A refusal of {@code step} on these topics. */
  TopicProvisioningException notAuthorized(Step step, Set<String> topics, Throwable cause) {
    String example = topics.isEmpty() ? "TOPIC" : topics.iterator().next();
    return new TopicProvisioningException(
        "Not authorized to "
            + step.what()
            + (topics.isEmpty() ? "" : " " + topics)
            + " on Kafka at "
            + bootstrapServers
            + ": the client's principal needs the "
            + step.operation()
            + " operation on "
            + (step.onTopics() ? "these topics" : "the Cluster resource")
            + ", for example: kafka-acls --bootstrap-server "
            + bootstrapServers
            + " --add --allow-principal User:NAME --operation "
            + step.operation()
            + (step.onTopics() ? " --topic " + example : " --cluster")
            + " (or a prefixed ACL on the topic prefix).",
        cause);
  }

  private TopicProvisioningException unreachable(Step step, Throwable cause) {
    return new TopicProvisioningException(
        "No answer from Kafka at "
            + bootstrapServers
            + " within "
            + seconds(timeout)
            + " (trying to "
            + step.what()
            + "): check that these bootstrap servers are right and reachable from here, and that"
            + " the client's security.protocol matches the listener (a TLS or SASL listener does"
            + " not answer a PLAINTEXT client).",
        cause);
  }

  private static String seconds(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }
}
