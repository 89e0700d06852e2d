package io.expertflow.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.schemas.registry.InMemorySchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class RegistryOutageTest {
  private final AtomicLong now = new AtomicLong();
  private final RegistryOutage outage =
      new RegistryOutage("w", now::get, Duration.ofMillis(500), Duration.ofSeconds(2));

  @Test
  void shouldHoldForABackoffThatDoublesUpToItsMaximum() {
    assertThat(outage.failed(unreachable())).as("the first failure starts it").isTrue();
    assertThat(outage.holding()).isTrue();
    assertThat(outage.backoff()).isEqualTo(Duration.ofMillis(500));
    advance(Duration.ofMillis(500));
    assertThat(outage.holding()).as("retry due").isFalse();
    assertThat(outage.active()).as("but the outage lasts until a call succeeds").isTrue();

    assertThat(outage.failed(unreachable())).isFalse();
    assertThat(outage.backoff()).isEqualTo(Duration.ofSeconds(1));
    outage.failed(unreachable());
    outage.failed(unreachable());
    assertThat(outage.backoff()).as("capped").isEqualTo(Duration.ofSeconds(2));
    advance(Duration.ofMillis(1999));
    assertThat(outage.holding()).isTrue();
    advance(Duration.ofMillis(1));
    assertThat(outage.holding()).isFalse();
  }

  @Test
  void shouldEndTheOutageOnTheFirstAnswerAndCountEachOutageOnce() {
    for (int i = 0; i < 5; i++) {
      outage.failed(unreachable());
    }
    outage.succeeded();
    assertThat(outage.active()).isFalse();
    assertThat(outage.holding()).isFalse();
    assertThat(outage.backoff()).isZero();
    outage.failed(unreachable());
    assertThat(outage.outages()).isEqualTo(2);
    assertThat(outage.backoff())
        .as("a new outage starts from the first backoff")
        .isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldFailFastWithoutCallingTheRegistryWhileTheBackoffRuns() {
    AtomicInteger calls = new AtomicInteger();
    Schema schema = Schema.create(Schema.Type.STRING);
    InMemorySchemaRegistryClient registry = new InMemorySchemaRegistryClient();
    int id = registry.register("s", schema);
    ObservedRegistryClient observed =
        new ObservedRegistryClient(new CountingRegistry(registry, calls), outage);

    outage.failed(unreachable());
    assertThatThrownBy(() -> observed.schemaById(id))
        .isInstanceOf(SchemaRegistryException.class)
        .hasMessageContaining("unavailable");
    assertThat(calls).as("no call went out").hasValue(0);
    assertThat(outage.backoff())
        .as("and it counted as no new failure")
        .isEqualTo(Duration.ofMillis(500));

    advance(Duration.ofMillis(500));
    assertThat(observed.schemaById(id)).isEqualTo(schema);
    assertThat(calls).hasValue(1);
    assertThat(outage.active()).as("an answer ends the outage").isFalse();
  }

  private void advance(Duration d) {
    now.addAndGet(d.toNanos());
  }

  private static SchemaRegistryException unreachable() {
    return new SchemaRegistryException("connection refused", -1, -1, null);
  }
}
