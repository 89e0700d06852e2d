package io.expertflow.worker;

import io.expertflow.schemas.errors.TransientFailures;
import io.expertflow.schemas.registry.CompatibilityLevel;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * A registry client that reports to a {@link RegistryOutage} whether each call reached the
 * registry: a call that fails for want of an answer (connection refused, timeout, HTTP 5xx, 429,
 * auth) starts or extends an outage, any answer ends it, a "not found" included. While an outage's
 * backoff runs, calls fail at once without reaching the registry (and without counting as another
 * failure), so a worker holding many records does not wait on the network for each of them.
 * Otherwise calls and results pass through unchanged. Thread-safe as the delegate is; {@link
 * #close} does not close the delegate.
 */
final class ObservedRegistryClient implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final RegistryOutage outage;

  ObservedRegistryClient(SchemaRegistryClient delegate, RegistryOutage outage) {
    this.delegate = delegate;
    this.outage = outage;
  }

  private <T> T observe(Supplier<T> call) {
    if (outage.holding()) {
      throw new SchemaRegistryException(
          "schema registry unavailable; the next attempt is due within "
              + outage.backoff().toMillis()
              + " ms",
          -1,
          -1,
          null);
    }
    T result;
    try {
      result = call.get();
    } catch (SchemaRegistryException e) {
      if (TransientFailures.isRegistryUnavailable(e)) {
        outage.failed(e);
      } else {
        outage.succeeded();
      }
      throw e;
    }
    outage.succeeded();
    return result;
  }

  @Override
  public int register(String subject, Schema schema) {
    return observe(() -> delegate.register(subject, schema));
  }

  @Override
  public Optional<Integer> lookup(String subject, Schema schema) {
    return observe(() -> delegate.lookup(subject, schema));
  }

  @Override
  public Schema schemaById(int id) {
    return observe(() -> delegate.schemaById(id));
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    return observe(() -> delegate.latest(subject));
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return observe(() -> delegate.testCompatibility(subject, schema));
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return observe(() -> delegate.compatibility(subject));
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    observe(
        () -> {
          delegate.setCompatibility(subject, level);
          return null;
        });
  }

  @Override
  public List<String> subjects() {
    return observe(delegate::subjects);
  }
}
