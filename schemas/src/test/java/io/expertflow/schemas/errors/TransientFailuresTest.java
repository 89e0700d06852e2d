package io.expertflow.schemas.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.avro.DeadLetterReason;
import io.expertflow.schemas.registry.SchemaRegistryException;
import io.expertflow.schemas.serde.WireFormatException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class TransientFailuresTest {

  @Test
  void shouldTakeRegistryNetworkAndRetriableKafkaFailuresForTransient() {
    assertThat(TransientFailures.isTransient(new TimeoutException("broker slow"))).isTrue();
    assertThat(
            TransientFailures.isTransient(
                new SerializationException(
                    "cannot fetch",
                    new SchemaRegistryException("down", 0, 0, new ConnectException()))))
        .isTrue();
    assertThat(
            TransientFailures.isTransient(
                new SerializationException(
                    "cannot register", new SchemaRegistryException("exists", 409, 409, null))))
        .as("a registration race")
        .isTrue();
    assertThat(
            TransientFailures.isTransient(new IllegalStateException("x", new ConnectException())))
        .as("a network error deep in the chain")
        .isTrue();
  }

  @Test
  void shouldTakeTheRecordsOwnFailuresForNotTransient() {
    assertThat(TransientFailures.isTransient(new SerializationException("bad bytes"))).isFalse();
    assertThat(TransientFailures.isTransient(new RecordTooLargeException("2 MB"))).isFalse();
    assertThat(TransientFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    assertThat(TransientFailures.isTransient(new java.io.IOException("disk"))).isFalse();
  }

  @Test
  void shouldTakeOnlyAnUnansweredCallForARegistryOutage() {
    assertThat(TransientFailures.isRegistryUnavailable(unreachable())).isTrue();
    assertThat(TransientFailures.isRegistryUnavailable(status(503))).isTrue();
    assertThat(TransientFailures.isRegistryUnavailable(status(429))).isTrue();
    assertThat(TransientFailures.isRegistryUnavailable(status(401))).isTrue();
    assertThat(
            TransientFailures.isRegistryUnavailable(new SerializationException("x", status(502))))
        .as("wrapped by the deserializer")
        .isTrue();
    assertThat(TransientFailures.isRegistryUnavailable(status(404)))
        .as("unknown schema id")
        .isFalse();
    assertThat(TransientFailures.isRegistryUnavailable(status(422))).isFalse();
    assertThat(
            TransientFailures.isRegistryUnavailable(
                new WireFormatException(DeadLetterReason.UNKNOWN_SCHEMA, "x", status(404))))
        .isFalse();
    assertThat(
            TransientFailures.isRegistryUnavailable(
                new WireFormatException(DeadLetterReason.UNDECODABLE, "x", status(503))))
        .as("the record's fault comes first")
        .isFalse();
    assertThat(TransientFailures.isRegistryUnavailable(new IllegalStateException("x"))).isFalse();
    assertThat(TransientFailures.isRegistryUnavailable(new SocketTimeoutException("x")))
        .as("only the registry client's failures count")
        .isFalse();
  }

  @Test
  void shouldTakeEveryRegistryOutageForTransientButNotTheOtherWayRound() {
    assertThat(TransientFailures.isTransient(unreachable())).isTrue();
    assertThat(TransientFailures.isTransient(status(503))).isTrue();
    assertThat(TransientFailures.isRegistryUnavailable(status(409)))
        .as("the registry answered")
        .isFalse();
    assertThat(TransientFailures.isTransient(status(409))).isTrue();
  }

  private static SchemaRegistryException unreachable() {
    return new SchemaRegistryException("connection refused", -1, -1, null);
  }

  private static SchemaRegistryException status(int status) {
    return new SchemaRegistryException("HTTP " + status, status, -1, null);
  }
}
