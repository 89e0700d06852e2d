package io.expertflow.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The build's compatibility gate: every schema in {@code src/main/avro} must be BACKWARD compatible
 * with each of its released versions in {@code src/main/avro/history/<Name>/v*.avsc}. Release a
 * schema by copying it there as the next version.
 */
class SchemaHistoryCompatibilityTest {
  private static final Path AVRO = Path.of("src/main/avro");

  @TestFactory
  Stream<DynamicTest> everySchemaIsBackwardCompatibleWithItsReleasedHistory() throws IOException {
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(AVRO)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".avsc")).sorted().toList()) {
        String name = file.getFileName().toString().replace(".avsc", "");
        if (name.equals("common")) {
          continue;
        }
        tests.add(
            DynamicTest.dynamicTest(
                name,
                () -> {
                  Schema current = parse(file);
                  List<Schema> history = history(name);
                  assertThat(history)
                      .as("released history of %s in %s", name, AVRO.resolve("history"))
                      .isNotEmpty();
                  assertThat(
                          AvroCompatibility.problems(
                              current, history, CompatibilityLevel.BACKWARD_TRANSITIVE))
                      .as("%s must stay BACKWARD compatible with its history", name)
                      .isEmpty();
                }));
      }
    }
    assertThat(tests).hasSizeGreaterThanOrEqualTo(9);
    return tests.stream();
  }

  @Test
  void shouldNameTheFieldThatBreaksCompatibility() {
    Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
    Schema v2 =
        SchemaBuilder.record("R")
            .fields()
            .requiredString("a")
            .requiredInt("tenant_tier")
            .endRecord();

    List<String> problems =
        AvroCompatibility.problems(v2, List.of(v1), CompatibilityLevel.BACKWARD);

    assertThat(problems).singleElement().asString().contains("tenant_tier");
  }

  @Test
  void shouldAcceptANewFieldWithADefault() {
    Schema v1 = SchemaBuilder.record("R").fields().requiredString("a").endRecord();
    Schema v2 = SchemaBuilder.record("R").fields().requiredString("a").optionalInt("b").endRecord();

    assertThat(AvroCompatibility.problems(v2, List.of(v1), CompatibilityLevel.BACKWARD)).isEmpty();
  }

  private static Schema parse(Path file) throws IOException {
    Schema.Parser parser = new Schema.Parser();
    parser.parse(AVRO.resolve("common.avsc").toFile());
    return parser.parse(file.toFile());
  }

  private static List<Schema> history(String name) throws IOException {
    Path dir = AVRO.resolve("history").resolve(name);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<Schema> out = new ArrayList<>();
    try (Stream<Path> versions = Files.list(dir)) {
      for (Path v : versions.sorted().toList()) {
        out.add(parse(v));
      }
    }
    return out;
  }
}
