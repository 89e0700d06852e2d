package io.expertflow.cli.commands;

import io.expertflow.avro.ModelVersion;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.ops.Failpoints;
import io.expertflow.schemas.ops.OpsServer;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.updater.UpdaterBundle;
import io.expertflow.updater.UpdaterConfig;
import io.expertflow.updater.UpdaterKeys;
import io.expertflow.updater.UpdaterMetrics;
import io.expertflow.updater.UpdaterService;
import io.expertflow.updater.UpdaterSettings;
import io.expertflow.versions.VersionSummary;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow updater}: the weekly expert update as a long-running service. */
@Command(
    name = "updater",
    mixinStandardHelpOptions = true,
    description = {
      "Run the expert updater: when a feedback window closes (expert-stats), fine-tune the worst"
          + " experts within the parameter budget on the window's attributed feedback plus the"
          + " bundle's replay reservoir, judge the result on held-out feedback and the guard set,"
          + " and publish a new version (expert-updates + model-versions) that every worker"
          + " hot-loads, or a REJECTED record with the figures. Runs until Ctrl-C.",
      "It needs the folder 'expertflow train --out DIR' wrote: the bundle (DIR/model), "
          + UpdaterBundle.RESERVOIR_FILE
          + " and "
          + UpdaterBundle.GUARD_SET_FILE
          + ".",
      "Every setting is a key of docs/CONFIGURATION.md (updater settings), settable in a --config"
          + " file, as EXPERTFLOW_<KEY> (dots as underscores), with --set KEY=VALUE, or with the"
          + " flags below; later ones win.",
      "",
      "Examples:",
      "  expertflow updater --bundle build/tickets   # what 'train --out build/tickets' wrote",
      "  expertflow updater --bundle run/ --budget-share 0.02 --max-guard-drop 0.01"
    })
public final class UpdaterCommand implements Callable<Integer> {
  /** Longest a stopping updater may take: it finishes the update in progress, if any. */
  static final Duration STOP_GRACE = Duration.ofSeconds(60);

  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Option(
      names = "--bundle",
      paramLabel = "DIR",
      defaultValue = "${env:EXPERTFLOW_BUNDLE}",
      description =
          "Training output folder (with model/, the replay reservoir and the guard set) or the"
              + " bundle folder itself (env EXPERTFLOW_BUNDLE; default: the most recently trained"
              + " bundle).")
  Path bundle;

  @Mixin SettingsOptions settingSources = new SettingsOptions();

  @Option(names = "--settle-ms", description = "updater.settle.ms")
  String settle;

  @Option(names = "--max-wait-ms", description = "updater.max.wait.ms")
  String maxWait;

  @Option(names = "--poll-timeout-ms", description = "updater.poll.timeout.ms")
  String pollTimeout;

  @Option(names = "--min-feedback", description = "selection.min.feedback")
  String minFeedback;

  @Option(names = "--min-negative-rate", description = "selection.min.negative.rate")
  String minNegativeRate;

  @Option(names = "--budget-share", description = "selection.parameter.budget.share")
  String budgetShare;

  @Option(
      names = "--scope",
      description = "selection.scope: feedback_label_outputs, all_outputs, whole_expert")
  String scope;

  @Option(names = "--epochs", description = "update.epochs")
  String epochs;

  @Option(names = "--batch-size", description = "update.batch.size")
  String batchSize;

  @Option(names = "--learning-rate", description = "update.learning.rate")
  String learningRate;

  @Option(names = "--feedback-weight", description = "update.feedback.weight")
  String feedbackWeight;

  @Option(names = "--holdout-share", description = "update.holdout.share")
  String holdoutShare;

  @Option(names = "--min-holdout-gain", description = "update.min.holdout.gain")
  String minHoldoutGain;

  @Option(names = "--max-guard-drop", description = "update.max.guard.drop")
  String maxGuardDrop;

  @Option(names = "--seed", description = "update.seed")
  String seed;

  @Option(names = "--http-port", description = "http.port")
  String httpPort;

  @Option(names = "--dp", description = "update.dp.enabled: train privately (DP-SGD)")
  String dp;

  @Option(names = "--dp-noise", description = "update.dp.noise.multiplier")
  String dpNoise;

  @Option(names = "--dp-clip", description = "update.dp.clip.norm")
  String dpClip;

  @Option(names = "--dp-max-epsilon", description = "update.dp.max.epsilon")
  String dpMaxEpsilon;

  @Override
  public Integer call() throws Exception {
    SettingValues values = settingValues();
    UpdaterConfig settings = UpdaterSettings.from(values);
    java.nio.file.Path folder;
    try {
      folder =
          LatestBundle.resolve(bundle, TrainCommand.defaultCache(), spec.commandLine().getErr());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("updater: " + e.getMessage());
      return 2;
    }
    UpdaterBundle inputs = UpdaterBundle.load(folder);
    PrintWriter out = spec.commandLine().getOut();
    Map<String, Object> kafka = new HashMap<>(connection.kafkaProperties());
    kafka.putAll(values.passThrough(UpdaterKeys.KAFKA_PREFIX));
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmGcMetrics().bindTo(meters);
    UpdaterMetrics metrics = new UpdaterMetrics(meters);
    try (SchemaRegistryClient registry = connection.registryClient()) {
      UpdaterService service =
          inputs.service(
              settings,
              kafka,
              registry,
              Clock.systemUTC(),
              (result, record, took) -> {
                decided(out, record);
                metrics.updated(result, record, took);
              });
      int port = values.get(UpdaterKeys.HTTP_PORT);
      OpsServer ops;
      try {
        ops = port < 0 ? null : new OpsServer(port, meters::scrape, service::ready);
      } catch (java.io.IOException e) {
        service.close();
        spec.commandLine()
            .getErr()
            .println("updater: cannot open http.port " + port + ": " + ErrorText.of(e));
        return 2;
      }
      if (ops != null) {
        out.printf("metrics and probes on http://localhost:%d/metrics%n", ops.port());
      }
      new ServiceShutdown("updater", service, STOP_GRACE)
          .run(
              () -> {
                out.printf(
                    "updater of %s %s (%s): replay reservoir of %d experts, guard set of %d samples;"
                        + " topics '%s*', budget %s of expert parameters, guard drop <= %s%n",
                    inputs.base().name(),
                    inputs.base().version(),
                    inputs.bundleDir(),
                    inputs.replay().experts(),
                    inputs.guard().samples().size(),
                    settings.topics().prefix(),
                    settings.selection().parameterBudgetShare(),
                    settings.update().maxGuardDrop());
                if (settings.update().dp().enabled()) {
                  var dp = settings.update().dp();
                  out.printf(
                      "private updates: noise multiplier %s, clip norm %s, sample rate %s, delta"
                          + " %s, at most epsilon %s a feedback user%n",
                      dp.noiseMultiplier(),
                      dp.clipNorm(),
                      dp.sampleRate(),
                      dp.delta(),
                      dp.maxEpsilon());
                }
                if (!Failpoints.armed().isEmpty()) {
                  out.printf(
                      "failpoints armed for a fault test (%s): %s%n",
                      Failpoints.ENV, Failpoints.armed().keySet());
                }
                out.flush();
                service.run();
              });
      if (ops != null) {
        ops.close();
      }
    }
    out.println("updater stopped");
    out.flush();
    return 0;
  }

  /** The updater's settings: the --config file, then EXPERTFLOW_* variables, then flags. */
  UpdaterConfig settings() {
    return UpdaterSettings.from(settingValues());
  }

  private SettingValues settingValues() {
    Map<String, String> flags = new HashMap<>();
    flags.put("updater.settle.ms", settle);
    flags.put("updater.max.wait.ms", maxWait);
    flags.put("updater.poll.timeout.ms", pollTimeout);
    flags.put("selection.min.feedback", minFeedback);
    flags.put("selection.min.negative.rate", minNegativeRate);
    flags.put("selection.parameter.budget.share", budgetShare);
    flags.put("selection.scope", scope);
    flags.put("update.epochs", epochs);
    flags.put("update.batch.size", batchSize);
    flags.put("update.learning.rate", learningRate);
    flags.put("update.feedback.weight", feedbackWeight);
    flags.put("update.holdout.share", holdoutShare);
    flags.put("update.min.holdout.gain", minHoldoutGain);
    flags.put("update.max.guard.drop", maxGuardDrop);
    flags.put("update.seed", seed);
    flags.put("http.port", httpPort);
    flags.put("update.dp.enabled", dp);
    flags.put("update.dp.noise.multiplier", dpNoise);
    flags.put("update.dp.clip.norm", dpClip);
    flags.put("update.dp.max.epsilon", dpMaxEpsilon);
    return settingSources.bind(UpdaterKeys.TABLE, connection, Map.of(), flags);
  }

  private static void decided(PrintWriter out, ModelVersion record) {
    out.printf(
        "%s%n  %s%n",
        VersionSummary.line(record), record.getReason() == null ? "" : record.getReason());
    out.flush();
  }
}
