package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.utility.DockerImageName;

/**
 * The transactional round trip of {@link LocalKafkaBrokerIT} against Apache Kafka's own image, in
 * the version of the Kafka clients on the class path. Runs only where Docker is available.
 */
@Testcontainers(disabledWithoutDocker = true)
class KafkaContainerRoundTripIT {

  @Container
  private static final KafkaContainer KAFKA =
      new KafkaContainer(DockerImageName.parse("apache/kafka:" + kafkaClientsVersion()));

  @Test
  void shouldDeliverCommittedTransactionsAndHideAbortedOnesFromReadCommittedConsumers()
      throws Exception {
    KafkaRoundTrip kafka = new KafkaRoundTrip(KAFKA.getBootstrapServers());
    String topic = kafka.createTopic("transactions");

    kafka.produceInTransaction(topic, List.of("a1", "a2", "a3"), true);
    kafka.produceInTransaction(topic, List.of("aborted1", "aborted2"), false);
    kafka.produceInTransaction(topic, List.of("c1"), true);

    assertThat(kafka.readCommitted(topic, 4, Duration.ofSeconds(30)))
        .containsExactly("a1", "a2", "a3", "c1");
  }

  private static String kafkaClientsVersion() {
    Properties version = new Properties();
    try (InputStream in =
        KafkaProducer.class.getResourceAsStream("/kafka/kafka-version.properties")) {
      version.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return version.getProperty("version");
  }
}
