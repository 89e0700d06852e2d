package io.expertflow.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.Incompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/**
 * Local compatibility checks with Avro's own {@link SchemaCompatibility}, with messages that name
 * the field that breaks compatibility. Used by the build's schema-history check and by {@link
 * InMemorySchemaRegistryClient}.
 */
public final class AvroCompatibility {
  private AvroCompatibility() {}

  /**
   * Problems that make {@code candidate} incompatible with {@code previous} (oldest first) under
   * {@code level}; empty when compatible.
   */
  public static List<String> problems(
      Schema candidate, List<Schema> previous, CompatibilityLevel level) {
    if (level == CompatibilityLevel.NONE || previous.isEmpty()) {
      return List.of();
    }
    boolean transitive = level.name().endsWith("_TRANSITIVE");
    List<Schema> against = transitive ? previous : List.of(previous.get(previous.size() - 1));
    List<String> problems = new ArrayList<>();
    for (Schema old : against) {
      boolean backward = level.name().startsWith("BACKWARD") || level.name().startsWith("FULL");
      boolean forward = level.name().startsWith("FORWARD") || level.name().startsWith("FULL");
      if (backward) {
        problems.addAll(check(candidate, old, "new schema cannot read data written with the old"));
      }
      if (forward) {
        problems.addAll(check(old, candidate, "old schema cannot read data written with the new"));
      }
    }
    return problems;
  }

  private static List<String> check(Schema reader, Schema writer, String what) {
    var result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getResult();
    if (result.getCompatibility() == SchemaCompatibilityType.COMPATIBLE) {
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (Incompatibility i : result.getIncompatibilities()) {
      out.add(
          what
              + ": "
              + i.getType()
              + " at "
              + i.getLocation()
              + (i.getMessage() == null ? "" : " (" + i.getMessage() + ")"));
    }
    return out;
  }
}
