package io.expertflow.cli.commands;

import io.expertflow.avro.ModelVersion;
import io.expertflow.operators.update.Evaluation;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.versions.VersionCatalog;
import io.expertflow.versions.VersionHistory;
import io.expertflow.versions.VersionRollback;
import io.expertflow.versions.VersionSummary;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow versions}: the model versions on Kafka, and rollback. */
@Command(
    name = "versions",
    mixinStandardHelpOptions = true,
    description = {
      "Show the model versions the updater wrote to model-versions, or serve an older one again.",
      "",
      "Examples:",
      "  expertflow versions list",
      "  expertflow versions rollback --to u20240603-1a2b3c4d5e6f"
    },
    subcommands = {VersionsCommand.ListVersions.class, VersionsCommand.Rollback.class})
public final class VersionsCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** {@code versions list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "Every version on model-versions, oldest first: id, parent, state, changed experts,"
              + " parameters changed, held-out feedback and guard-set accuracy before -> after;"
              + " '*' marks the one workers serve.")
  static final class ListVersions implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(names = "--model", description = "Only this model (default: every model).")
    String model;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      Map<String, VersionCatalog> catalogs;
      try (SchemaRegistryClient registry = connection.registryClient()) {
        catalogs =
            VersionHistory.read(
                new TopicNames(connection.topicPrefix()),
                connection.kafkaProperties(),
                registry,
                VersionRollback.DEFAULT_READ_TIMEOUT);
      }
      if (model != null) {
        catalogs = catalogs.containsKey(model) ? Map.of(model, catalogs.get(model)) : Map.of();
      }
      if (catalogs.isEmpty()) {
        out.printf(
            "no versions on %smodel-versions%s: workers serve their bundles as they are%n",
            connection.topicPrefix(), model == null ? "" : " for model " + model);
      }
      catalogs.values().forEach(c -> print(out, c));
      out.flush();
      return 0;
    }

    /**
     * The changed experts in the table's column: {@code [1,7]}, or their count and the first few
     * when there are many ({@code 128 [0,1,2,...]}; a shared row changes every expert).
     */
    static String experts(List<Integer> changed) {
      if (changed.size() <= 4) {
        return changed.toString().replace(" ", "");
      }
      return changed.size()
          + " "
          + changed.subList(0, 3).toString().replace(" ", "").replace("]", ",...]");
    }

    private static void print(PrintWriter out, VersionCatalog catalog) {
      String serving = catalog.serving().map(ModelVersion::getVersion).orElse(null);
      String base = catalog.root().map(ModelVersion::getParentVersion).orElse("?");
      out.printf("model %s%n", catalog.model());
      out.printf(
          "  %-1s %-24s %-24s %-9s %-14s %10s %8s %-17s %-17s%n",
          "", "VERSION", "PARENT", "STATE", "EXPERTS", "PARAMETERS", "SHARE", "HOLDOUT", "GUARD");
      out.printf(
          "  %-1s %-24s %-24s %-9s%n",
          serving == null || serving.equals(base) ? "*" : "", base, "-", "BASE");
      for (ModelVersion v : catalog.history()) {
        out.printf(
            "  %-1s %-24s %-24s %-9s %-14s %10d %8s %-17s %-17s%n",
            v.getVersion().equals(serving) ? "*" : "",
            v.getVersion(),
            v.getParentVersion() == null ? "-" : v.getParentVersion(),
            v.getState(),
            experts(v.getChangedExperts()),
            v.getParametersChanged(),
            v.getParametersTotal() > 0
                ? String.format(
                    java.util.Locale.ROOT,
                    "%.2f%%",
                    100.0 * v.getParametersChanged() / v.getParametersTotal())
                : "-",
            VersionSummary.change(v, Evaluation.HOLDOUT_ACCURACY),
            VersionSummary.change(v, Evaluation.GUARD_ACCURACY));
      }
      catalog
          .serving()
          .ifPresent(
              s ->
                  out.printf(
                      "  serving %s (%s%s)%n",
                      s.getVersion(),
                      s.getState(),
                      s.getReason() == null ? "" : ": " + s.getReason()));
    }
  }

  /** {@code versions rollback --to VERSION}. */
  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description =
          "Serve an older PUBLISHED version (or the base bundle's version) again: checks that its"
              + " tensors are on expert-updates, then publishes a ROLLBACK serving record; every"
              + " worker hot-loads it. REJECTED and unknown versions are refused.")
  static final class Rollback implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(names = "--to", required = true, paramLabel = "VERSION", description = "Version id.")
    String target;

    @Option(
        names = "--model",
        description = "Model name (default: the only model on model-versions).")
    String model;

    @Option(
        names = "--reason",
        defaultValue = "rolled back by an operator",
        description = "Why, recorded with the version (default: ${DEFAULT-VALUE}).")
    String reason;

    @Override
    public Integer call() {
      TopicNames topics = new TopicNames(connection.topicPrefix());
      try (SchemaRegistryClient registry = connection.registryClient();
          VersionRollback rollback =
              new VersionRollback(
                  topics, connection.kafkaProperties(), registry, Clock.systemUTC())) {
        String name = model != null ? model : onlyModel(topics, registry);
        ModelVersion record = rollback.rollback(name, target, reason);
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
            "model %s now serves %s (was %s); workers switch between batches%n",
            name, record.getVersion(), record.getParentVersion());
        out.flush();
      }
      return 0;
    }

    private String onlyModel(TopicNames topics, SchemaRegistryClient registry) {
      Map<String, VersionCatalog> all =
          VersionHistory.read(
              topics, connection.kafkaProperties(), registry, VersionRollback.DEFAULT_READ_TIMEOUT);
      if (all.size() != 1) {
        throw new IllegalArgumentException(
            all.isEmpty()
                ? "no versions on " + topics.modelVersions() + ": nothing to roll back to"
                : "several models on "
                    + topics.modelVersions()
                    + " "
                    + all.keySet()
                    + "; name one with --model");
      }
      return all.keySet().iterator().next();
    }
  }
}
