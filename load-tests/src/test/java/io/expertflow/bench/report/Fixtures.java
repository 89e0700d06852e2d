package io.expertflow.bench.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The bench results the report's tests render: a run with every figure and an older one. */
final class Fixtures {
  /** Every key, the sweeps, the pipeline and the memory probe included. */
  static final String FULL = "/bench/bench-full.json";

  /** A run from before the sweeps: none of the figures added with them. */
  static final String BEFORE_SWEEPS = "/bench/bench-before-sweeps.json";

  private Fixtures() {}

  static JsonNode json(String resource) {
    try (InputStream in = Fixtures.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the test class path");
      }
      return new ObjectMapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static BenchResult result(String resource) {
    return BenchResult.of(json(resource));
  }
}
