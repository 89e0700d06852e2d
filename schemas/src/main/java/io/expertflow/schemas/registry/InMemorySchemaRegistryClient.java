package io.expertflow.schemas.registry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * A TEST DOUBLE of a schema registry that keeps everything in memory, for unit tests and {@code
 * TopologyTestDriver}. It enforces compatibility levels with {@link AvroCompatibility} (default
 * BACKWARD) but speaks no HTTP; production code never creates it on its own. Thread-safe.
 */
public final class InMemorySchemaRegistryClient implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new HashMap<>();
  private final Map<String, List<Integer>> versions = new HashMap<>();
  private final Map<String, CompatibilityLevel> levels = new HashMap<>();
  private CompatibilityLevel globalLevel = CompatibilityLevel.BACKWARD;
  private int nextId = 1;

  @Override
  public synchronized int register(String subject, Schema schema) {
    Optional<Integer> existing = lookup(subject, schema);
    if (existing.isPresent()) {
      return existing.get();
    }
    List<String> problems =
        AvroCompatibility.problems(schema, history(subject), compatibility(subject));
    if (!problems.isEmpty()) {
      throw new IncompatibleSchemaException(
          "schema for " + subject + " is incompatible: " + String.join("; ", problems), 409, 409);
    }
    int id =
        byId.entrySet().stream()
            .filter(e -> e.getValue().equals(schema))
            .map(Map.Entry::getKey)
            .findFirst()
            .orElseGet(() -> nextId++);
    byId.put(id, schema);
    versions.computeIfAbsent(subject, s -> new ArrayList<>()).add(id);
    return id;
  }

  @Override
  public synchronized Optional<Integer> lookup(String subject, Schema schema) {
    return versions.getOrDefault(subject, List.of()).stream()
        .filter(id -> byId.get(id).equals(schema))
        .findFirst();
  }

  @Override
  public synchronized Schema schemaById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException("schema id " + id + " not found", 404, 40403, null);
    }
    return schema;
  }

  @Override
  public synchronized Optional<RegisteredSchema> latest(String subject) {
    List<Integer> ids = versions.get(subject);
    if (ids == null || ids.isEmpty()) {
      return Optional.empty();
    }
    int id = ids.get(ids.size() - 1);
    return Optional.of(new RegisteredSchema(subject, ids.size(), id, byId.get(id)));
  }

  @Override
  public synchronized CompatibilityResult testCompatibility(String subject, Schema schema) {
    List<String> problems =
        AvroCompatibility.problems(schema, history(subject), compatibility(subject));
    return new CompatibilityResult(problems.isEmpty(), problems);
  }

  @Override
  public synchronized CompatibilityLevel compatibility(String subject) {
    return subject == null ? globalLevel : levels.getOrDefault(subject, globalLevel);
  }

  @Override
  public synchronized void setCompatibility(String subject, CompatibilityLevel level) {
    if (subject == null) {
      globalLevel = level;
    } else {
      levels.put(subject, level);
    }
  }

  @Override
  public synchronized List<String> subjects() {
    return new ArrayList<>(versions.keySet());
  }

  private List<Schema> history(String subject) {
    return versions.getOrDefault(subject, List.of()).stream().map(byId::get).toList();
  }
}
