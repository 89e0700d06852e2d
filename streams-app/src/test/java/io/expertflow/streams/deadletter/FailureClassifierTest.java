package io.expertflow.streams.deadletter;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.registry.SchemaRegistryException;
import io.expertflow.schemas.serde.WireFormatException;
import java.net.ConnectException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

  @Test
  void shouldDeadLetterRecordFaultsWithTheirReason() {
    assertThat(
            FailureClassifier.decodeFailure(
                new WireFormatException(DeadLetterReason.UNKNOWN_SCHEMA, "id 9", null)))
        .contains(DeadLetterReason.UNKNOWN_SCHEMA);
    assertThat(FailureClassifier.decodeFailure(new SerializationException("bad")))
        .contains(DeadLetterReason.UNDECODABLE);
    assertThat(FailureClassifier.processingFailure(new IllegalStateException("bug")))
        .contains(DeadLetterReason.INTERNAL);
    assertThat(FailureClassifier.productionFailure(new RecordTooLargeException("2 MB")))
        .contains(DeadLetterReason.PRODUCE_FAILED);
  }

  @Test
  void shouldRetryRegistryNetworkAndRetriableKafkaFailures() {
    SerializationException registryRace =
        new SerializationException(
            "cannot register", new SchemaRegistryException("exists", 409, 409, null));
    SerializationException unreachable =
        new SerializationException(
            "cannot fetch", new SchemaRegistryException("down", 0, 0, new ConnectException()));

    assertThat(FailureClassifier.productionFailure(registryRace)).isEmpty();
    assertThat(FailureClassifier.decodeFailure(unreachable)).isEmpty();
    assertThat(FailureClassifier.productionFailure(new TimeoutException("t"))).isEmpty();
  }
}
