package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryAppLocatorTest {

  @TempDir Path root;

  @Test
  void shouldPreferTheConfiguredJarOverPropertyAndEnvironment() throws IOException {
    Path configured = jar("configured.jar");
    RegistryAppLocator locator =
        locator(
            Map.of(RegistryAppLocator.APP_PROPERTY, jar("property.jar").toString()),
            Map.of(RegistryAppLocator.APP_ENV, jar("env.jar").toString()),
            root);

    assertThat(locator.find(Optional.of(configured))).isEqualTo(configured);
  }

  @Test
  void shouldUseTheSystemPropertyBeforeTheEnvironment() throws IOException {
    Path property = jar("property.jar");
    RegistryAppLocator locator =
        locator(
            Map.of(RegistryAppLocator.APP_PROPERTY, property.toString()),
            Map.of(RegistryAppLocator.APP_ENV, jar("env.jar").toString()),
            root);

    assertThat(locator.find(Optional.empty())).isEqualTo(property);
  }

  @Test
  void shouldUseTheEnvironmentVariableWhenNoPropertyIsSet() throws IOException {
    Path env = jar("env.jar");
    RegistryAppLocator locator =
        locator(Map.of(), Map.of(RegistryAppLocator.APP_ENV, env.toString()), root);

    assertThat(locator.find(Optional.empty())).isEqualTo(env);
  }

  @Test
  void shouldFindTheBuiltAppInAParentOfTheWorkingDirectory() throws IOException {
    Path built = root.resolve(RegistryAppLocator.RELATIVE_APP);
    Files.createDirectories(built.getParent());
    Files.writeString(built, "jar");
    Path moduleDir = Files.createDirectories(root.resolve("dev/kafka-local"));

    assertThat(locator(Map.of(), Map.of(), moduleDir).find(Optional.empty())).isEqualTo(built);
  }

  @Test
  void shouldSayHowToBuildTheAppWhenItIsNowhere() {
    RegistryAppLocator locator = locator(Map.of(), Map.of(), root);

    assertThatThrownBy(() -> locator.find(Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("./mvnw -pl dev/schema-registry package")
        .hasMessageContaining(root.toString())
        .hasMessageContaining(RegistryAppLocator.APP_PROPERTY);
  }

  @Test
  void shouldRejectANamedJarThatDoesNotExistInsteadOfSearchingOn() throws IOException {
    Path built = root.resolve(RegistryAppLocator.RELATIVE_APP);
    Files.createDirectories(built.getParent());
    Files.writeString(built, "jar");
    Path missing = root.resolve("missing/quarkus-run.jar");
    RegistryAppLocator locator =
        locator(Map.of(RegistryAppLocator.APP_PROPERTY, missing.toString()), Map.of(), root);

    assertThatThrownBy(() -> locator.find(Optional.empty()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("system property " + RegistryAppLocator.APP_PROPERTY)
        .hasMessageContaining(missing.toString());
  }

  private Path jar(String name) throws IOException {
    return Files.writeString(root.resolve(name), "jar");
  }

  private static RegistryAppLocator locator(
      Map<String, String> properties, Map<String, String> env, Path workingDir) {
    return new RegistryAppLocator(properties::get, env::get, workingDir);
  }
}
