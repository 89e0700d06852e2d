package io.expertflow.local;

import java.nio.file.Path;

/**
 * Test helper run as its own JVM: starts a {@link LocalSchemaRegistry}, prints {@code REGISTRY_PID
 * <pid>} and waits to be killed, so a test can check what happens to the registry when its launcher
 * dies without running any shutdown hook.
 */
public final class RegistryParentProcessMain {

  private RegistryParentProcessMain() {}

  /**
   * @param args the work directory and the registry's app jar
   */
  public static void main(String[] args) throws InterruptedException {
    LocalSchemaRegistry registry =
        LocalSchemaRegistry.start(
            LocalSchemaRegistryConfig.builder()
                .workDir(Path.of(args[0]))
                .appJar(Path.of(args[1]))
                .build());
    System.out.println("REGISTRY_PID " + registry.pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
