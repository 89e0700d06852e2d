package io.expertflow.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Set;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.junit.jupiter.api.Test;

/** The admin client's failures as messages that say what is missing; no broker needed. */
class AdminFailuresTest {
  private final AdminFailures failures = new AdminFailures("k1:9093", Duration.ofSeconds(30));

  @Test
  void shouldNameTheMissingTopicOperationAndTheTopics() {
    TopicProvisioningException e =
        failures.explain(
            AdminFailures.CREATE_TOPICS,
            new TopicAuthorizationException("denied", Set.of("p.requests", "p.audit")));

    assertThat(e)
        .hasMessageStartingWith("Not authorized to create topics [p.audit, p.requests]")
        .hasMessageContaining("on Kafka at k1:9093")
        .hasMessageContaining("needs the Create operation on these topics")
        .hasMessageContaining("--operation Create --topic p.audit");
    assertThat(e.getCause()).isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void shouldNameTheMissingClusterOperation() {
    TopicProvisioningException e =
        failures.explain(
            AdminFailures.DESCRIBE_CLUSTER, new ClusterAuthorizationException("denied"));

    assertThat(e)
        .hasMessageStartingWith("Not authorized to describe the cluster on Kafka at k1:9093")
        .hasMessageContaining("needs the Describe operation on the Cluster resource")
        .hasMessageContaining("--operation Describe --cluster");
  }

  @Test
  void shouldSeeThroughTheProvisionersWrapper() {
    TopicProvisioningException e =
        failures.explain(
            AdminFailures.CREATE_TOPICS,
            new TopicProvisioningException(
                "Could not create topic p.x: denied",
                new TopicAuthorizationException("denied", Set.of("p.x"))));

    assertThat(e).hasMessageContaining("needs the Create operation").hasMessageContaining("[p.x]");
  }

  @Test
  void shouldNameTheServersAndTheWaitOfATimeout() {
    TopicProvisioningException e =
        failures.explain(
            AdminFailures.DESCRIBE_TOPICS,
            new TimeoutException("Timed out waiting for a node assignment."));

    assertThat(e)
        .hasMessageStartingWith("No answer from Kafka at k1:9093 within 30 s (trying to describe")
        .hasMessageContaining("security.protocol");
  }

  @Test
  void shouldPointAtTheSecuritySettingsWhenAuthenticationFails() {
    TopicProvisioningException e =
        failures.explain(
            AdminFailures.DESCRIBE_CLUSTER,
            new SaslAuthenticationException("Invalid username or password"));

    assertThat(e)
        .hasMessageContaining("Could not authenticate to Kafka at k1:9093")
        .hasMessageContaining("Invalid username or password")
        .hasMessageContaining("sasl.*");
  }
}
