package io.expertflow.worker;

import io.expertflow.schemas.registry.CompatibilityLevel;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryException;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.apache.avro.Schema;

/**
 * TEST double: passes every call to a registry client, except while {@link #down()}: then every
 * call fails as an unreachable registry's does (no HTTP status), until {@link #up()}. Thread-safe.
 */
final class SwitchableRegistry implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private volatile boolean down;

  SwitchableRegistry(SchemaRegistryClient delegate) {
    this.delegate = delegate;
  }

  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  private <T> T call(Supplier<T> call) {
    if (down) {
      throw new SchemaRegistryException("connection refused (test registry is down)", -1, -1, null);
    }
    return call.get();
  }

  @Override
  public int register(String subject, Schema schema) {
    return call(() -> delegate.register(subject, schema));
  }

  @Override
  public Optional<Integer> lookup(String subject, Schema schema) {
    return call(() -> delegate.lookup(subject, schema));
  }

  @Override
  public Schema schemaById(int id) {
    return call(() -> delegate.schemaById(id));
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    return call(() -> delegate.latest(subject));
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    return call(() -> delegate.testCompatibility(subject, schema));
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    return call(() -> delegate.compatibility(subject));
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    call(
        () -> {
          delegate.setCompatibility(subject, level);
          return null;
        });
  }

  @Override
  public List<String> subjects() {
    return call(delegate::subjects);
  }
}
