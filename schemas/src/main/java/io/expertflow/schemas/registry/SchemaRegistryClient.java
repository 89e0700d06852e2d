package io.expertflow.schemas.registry;

import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The operations expertflow needs from a schema registry. Implementations are thread-safe and cache
 * immutable answers (schema by id, id by subject and schema).
 */
public interface SchemaRegistryClient extends AutoCloseable {

  /** Registers {@code schema} under {@code subject} (idempotent) and returns its global id. */
  int register(String subject, Schema schema);

  /** The id of {@code schema} under {@code subject}, if registered. */
  Optional<Integer> lookup(String subject, Schema schema);

  /** The schema with global id {@code id}; throws {@link SchemaRegistryException} if unknown. */
  Schema schemaById(int id);

  /** The latest registered version of {@code subject}, if any. */
  Optional<RegisteredSchema> latest(String subject);

  /**
   * Whether {@code schema} is compatible with the subject's versions under the subject's level; the
   * messages say which field breaks it.
   */
  CompatibilityResult testCompatibility(String subject, Schema schema);

  /** The subject's compatibility level, or the global one when the subject has none. */
  CompatibilityLevel compatibility(String subject);

  /** Sets the subject's compatibility level ({@code null} subject: the global level). */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** All subjects. */
  List<String> subjects();

  @Override
  default void close() {}

  /** A schema as registered: subject, version, id. */
  record RegisteredSchema(String subject, int version, int id, Schema schema) {}

  /** Result of a compatibility check. */
  record CompatibilityResult(boolean compatible, List<String> messages) {}
}
