package io.expertflow.local;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Finds the schema registry server's {@code quarkus-run.jar}, built by the module {@code
 * dev/schema-registry}.
 *
 * <p>In this order: a path given in the configuration; the system property {@value #APP_PROPERTY};
 * the environment variable {@value #APP_ENV}; else {@link #RELATIVE_APP} below the working
 * directory or one of its parents (so it is found from any module of a checkout). A path named
 * explicitly must exist; the search does not fall through to the next source.
 *
 * <p>Stateless and thread-safe.
 */
public final class RegistryAppLocator {

  /** System property naming the registry's {@code quarkus-run.jar}. */
  public static final String APP_PROPERTY = "expertflow.registry.app";

  /** Environment variable naming the registry's {@code quarkus-run.jar}. */
  public static final String APP_ENV = "EXPERTFLOW_REGISTRY_APP";

  /** Where the build puts the app, relative to the project root. */
  public static final Path RELATIVE_APP =
      Path.of("dev", "schema-registry", "target", "quarkus-app", "quarkus-run.jar");

  private static final String BUILD_HINT =
      "build it with ./mvnw -pl dev/schema-registry package (from the project root)";

  private final UnaryOperator<String> systemProperties;
  private final UnaryOperator<String> environment;
  private final Path workingDir;

  RegistryAppLocator(
      UnaryOperator<String> systemProperties, UnaryOperator<String> environment, Path workingDir) {
    this.systemProperties = systemProperties;
    this.environment = environment;
    this.workingDir = workingDir.toAbsolutePath().normalize();
  }

  /**
   * The app jar to run.
   *
   * @param configured a path given in the configuration, which wins if present
   * @throws IllegalStateException saying where it looked and how to build the app
   */
  public static Path locate(Optional<Path> configured) {
    return new RegistryAppLocator(System::getProperty, System::getenv, Path.of(""))
        .find(configured);
  }

  Path find(Optional<Path> configured) {
    if (configured.isPresent()) {
      return requireFile(configured.get(), "the configured app jar");
    }
    String property = systemProperties.apply(APP_PROPERTY);
    if (property != null && !property.isBlank()) {
      return requireFile(Path.of(property), "system property " + APP_PROPERTY);
    }
    String env = environment.apply(APP_ENV);
    if (env != null && !env.isBlank()) {
      return requireFile(Path.of(env), "environment variable " + APP_ENV);
    }
    for (Path dir = workingDir; dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(RELATIVE_APP);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException(
        "The schema registry server was not found: no "
            + RELATIVE_APP
            + " in "
            + workingDir
            + " or any of its parents, and neither -D"
            + APP_PROPERTY
            + " nor "
            + APP_ENV
            + " is set. To fix: "
            + BUILD_HINT
            + ", or point "
            + APP_PROPERTY
            + " at its quarkus-run.jar.");
  }

  private static Path requireFile(Path path, String source) {
    Path absolute = path.toAbsolutePath().normalize();
    if (!Files.isRegularFile(absolute)) {
      throw new IllegalStateException(
          "The schema registry server named by "
              + source
              + " does not exist: "
              + absolute
              + ". Give the path of its target/quarkus-app/quarkus-run.jar, or "
              + BUILD_HINT
              + ".");
    }
    return absolute;
  }
}
