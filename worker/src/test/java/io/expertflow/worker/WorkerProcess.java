package io.expertflow.worker;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.worker.pipeline.PipelineConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;

/**
 * TEST entry point: one exactly-once worker in a JVM of its own, so that a test can kill it with
 * SIGKILL. Arguments: bootstrap servers, schema registry URL, topic prefix, model bundle folder,
 * worker id. SIGTERM stops it as a shutdown does (drain, commit, close).
 */
public final class WorkerProcess {
  private WorkerProcess() {}

  public static void main(String[] args) {
    if (args.length != 5) {
      System.err.println(
          "usage: WorkerProcess <bootstrap servers> <registry url> <topic prefix> <bundle dir>"
              + " <worker id>");
      System.exit(2);
    }
    ModelBundle bundle = ModelBundle.load(Path.of(args[3]));
    WorkerApp app =
        new WorkerApp(
            WorkerConfig.fromProperties(
                WorkerUnderTest.properties(args[4], "exactly_once", args[2])),
            PipelineConfig.defaults(),
            WorkerUnderTest.tokenization(bundle),
            WorkerUnderTest.engine(),
            bundle,
            Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, args[0]),
            HttpSchemaRegistryClient.forUrl(args[1]));
    Runtime.getRuntime().addShutdownHook(new Thread(app::close, "worker-shutdown"));
    System.out.println("worker " + args[4] + " running, pid " + ProcessHandle.current().pid());
    try {
      app.run();
    } catch (RuntimeException e) {
      e.printStackTrace();
      System.exit(1);
    }
  }
}
