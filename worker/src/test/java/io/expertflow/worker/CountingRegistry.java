package io.expertflow.worker;

import io.expertflow.schemas.registry.CompatibilityLevel;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;

/** TEST double: passes every call to a registry client and counts the calls. */
final class CountingRegistry implements SchemaRegistryClient {
  private final SchemaRegistryClient delegate;
  private final AtomicInteger calls;

  CountingRegistry(SchemaRegistryClient delegate, AtomicInteger calls) {
    this.delegate = delegate;
    this.calls = calls;
  }

  @Override
  public int register(String subject, Schema schema) {
    calls.incrementAndGet();
    return delegate.register(subject, schema);
  }

  @Override
  public Optional<Integer> lookup(String subject, Schema schema) {
    calls.incrementAndGet();
    return delegate.lookup(subject, schema);
  }

  @Override
  public Schema schemaById(int id) {
    calls.incrementAndGet();
    return delegate.schemaById(id);
  }

  @Override
  public Optional<RegisteredSchema> latest(String subject) {
    calls.incrementAndGet();
    return delegate.latest(subject);
  }

  @Override
  public CompatibilityResult testCompatibility(String subject, Schema schema) {
    calls.incrementAndGet();
    return delegate.testCompatibility(subject, schema);
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    calls.incrementAndGet();
    return delegate.compatibility(subject);
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    calls.incrementAndGet();
    delegate.setCompatibility(subject, level);
  }

  @Override
  public List<String> subjects() {
    calls.incrementAndGet();
    return delegate.subjects();
  }
}
