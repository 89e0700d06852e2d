package io.expertflow.cli.commands;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerSettings;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow worker}: one inference worker. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = {
      "Run an inference worker: consume requests, batch chunks dynamically, run the model bundle"
          + " (CUDA when available, else CPU), write one response or dead letter per request.",
      "Every setting is a key of docs/CONFIGURATION.md, settable in a --config file, as an"
          + " environment variable EXPERTFLOW_<KEY> (dots as underscores), with --set KEY=VALUE, or"
          + " with the flags below; later ones win.",
      "",
      "Examples:",
      "  expertflow worker --bundle ~/.cache/expertflow/bundles/minilm-moe",
      "  expertflow worker --bundle b/ --delivery-mode share_group --worker-id w-2 --http-port 9464",
      "  expertflow worker --bundle b/ --set batch.max.size=64 --set batch.max.delay.ms=10"
    })
public final class WorkerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--bundle",
      required = true,
      paramLabel = "DIR",
      defaultValue = "${env:EXPERTFLOW_BUNDLE}",
      description = "Model bundle folder (env EXPERTFLOW_BUNDLE); 'expertflow train' writes one.")
  Path bundle;

  @Mixin SettingsOptions settingSources = new SettingsOptions();

  @Option(names = "--worker-id", description = "worker.id")
  String workerId;

  @Option(
      names = "--delivery-mode",
      description = "delivery.mode: exactly_once, at_least_once, share_group")
  String deliveryMode;

  @Option(names = "--group-id", description = "group.id")
  String groupId;

  @Option(names = "--engine", description = "engine.provider: auto, cuda, cpu")
  String engine;

  @Option(names = "--batch-size", description = "batch.max.size")
  String batchSize;

  @Option(names = "--max-delay-ms", description = "batch.max.delay.ms")
  String maxDelay;

  @Option(names = "--max-in-flight", description = "max.in.flight")
  String maxInFlight;

  @Option(
      names = "--http-port",
      description = "http.port (metrics and probes); 0 picks a free port")
  String httpPort;

  @Option(
      names = "--reload",
      paramLabel = "true|false",
      description = "reload.enabled: hot-load new model versions (default true)")
  String reload;

  @Override
  public Integer call() throws Exception {
    Map<String, String> flags = new HashMap<>();
    flags.put("worker.id", workerId);
    flags.put("delivery.mode", deliveryMode);
    flags.put("group.id", groupId);
    flags.put("engine.provider", engine);
    flags.put("batch.max.size", batchSize);
    flags.put("batch.max.delay.ms", maxDelay);
    flags.put("max.in.flight", maxInFlight);
    flags.put("http.port", httpPort);
    flags.put("reload.enabled", reload);
    flags.put("topic.prefix", connection.topicPrefix());
    Map<String, String> props = settingSources.merge(WorkerSettings.all(), flags);
    connection
        .kafkaProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                props.putIfAbsent("kafka." + k, v.toString());
              }
            });
    WorkerSettings settings = WorkerSettings.fromProperties(props);
    ModelBundle model = ModelBundle.load(bundle);
    try (SchemaRegistryClient registry = connection.registryClient();
        WorkerApp app =
            new WorkerApp(
                settings.worker(),
                settings.pipeline(),
                settings.chunking(),
                settings.engine(),
                model,
                Map.of("bootstrap.servers", connection.bootstrapServers()),
                registry)) {
      Thread main = Thread.currentThread();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    app.close();
                    try {
                      main.join(60_000);
                    } catch (InterruptedException ignored) {
                      Thread.currentThread().interrupt();
                    }
                  }));
      spec.commandLine()
          .getErr()
          .printf(
              "worker %s on %s, bundle %s %s%n",
              settings.worker().workerId(),
              app.engine().provider(),
              model.manifest().name(),
              model.manifest().version());
      app.run();
    }
    return 0;
  }
}
