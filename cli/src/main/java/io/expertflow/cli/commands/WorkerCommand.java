package io.expertflow.cli.commands;

import io.expertflow.model.bundle.ModelBundle;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.worker.WorkerApp;
import io.expertflow.worker.WorkerKeys;
import io.expertflow.worker.WorkerSettings;
import java.nio.file.Path;
import java.time.Duration;
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
          + " with the flags below; later ones win. SIGTERM or Ctrl-C drains and stops it.",
      "",
      "Examples:",
      "  expertflow worker                      # the most recently trained bundle",
      "  expertflow worker --bundle build/tickets/model",
      "  expertflow worker --bundle b/ --delivery-mode share_group --worker-id w-2 --http-port 9464",
      "  expertflow worker --bundle b/ --set batch.max.size=64 --set batch.max.delay.ms=10"
    })
public final class WorkerCommand implements Callable<Integer> {
  /** Time past the drain timeout that a stopping worker gets to close its clients and engine. */
  static final Duration STOP_MARGIN = Duration.ofSeconds(15);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = "${env:EXPERTFLOW_BUNDLE}",
      description =
          "Model bundle folder, or the folder 'expertflow train --out' wrote, with the bundle in"
              + " model/ (env EXPERTFLOW_BUNDLE; default: the most recently trained bundle).")
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
    WorkerSettings settings = WorkerSettings.from(settings());
    java.nio.file.Path folder;
    try {
      folder =
          LatestBundle.resolve(bundle, TrainCommand.defaultCache(), spec.commandLine().getErr());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("worker: " + e.getMessage());
      return 2;
    }
    ModelBundle model = ModelBundle.load(folder);
    try (SchemaRegistryClient registry = connection.registryClient()) {
      WorkerApp app =
          new WorkerApp(
              settings.worker(),
              settings.pipeline(),
              settings.chunking(),
              settings.engine(),
              model,
              Map.of("bootstrap.servers", connection.bootstrapServers()),
              registry);
      ServiceShutdown shutdown =
          new ServiceShutdown("worker", app, settings.worker().drainTimeout().plus(STOP_MARGIN));
      shutdown.run(
          () -> {
            spec.commandLine()
                .getErr()
                .printf(
                    "worker %s on %s, bundle %s %s, encoder %s%n",
                    settings.worker().workerId(),
                    app.engine().provider(),
                    model.manifest().name(),
                    model.manifest().version(),
                    model.manifest().encoderId());
            app.run();
          });
    }
    return 0;
  }

  /** The worker's settings from every source; see {@link SettingsOptions#bind}. */
  SettingValues settings() {
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
    // --command-config's client settings reach the Kafka clients as kafka.* keys, below the others
    Map<String, String> security = new HashMap<>();
    connection
        .kafkaProperties()
        .forEach(
            (k, v) -> {
              if (!k.equals("bootstrap.servers")) {
                security.put(WorkerKeys.KAFKA_PREFIX + k, v.toString());
              }
            });
    return settingSources.bind(WorkerKeys.TABLE, connection, security, flags);
  }
}
