package io.expertflow.cli.commands;

import io.expertflow.cli.topics.TopicActions;
import io.expertflow.cli.topics.TopicPlanText;
import io.expertflow.schemas.topics.ProvisioningResult;
import io.expertflow.schemas.topics.TopicAdmin;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicPlan;
import io.expertflow.schemas.topics.TopicSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow topics}: the pipeline's topics on any Kafka cluster, and as Strimzi YAML. */
@Command(
    name = "topics",
    mixinStandardHelpOptions = true,
    description = {
      "The pipeline's topics on a Kafka cluster: compare them with the catalogue (plan), create the"
          + " missing ones (apply), or write them as Strimzi KafkaTopic resources (render).",
      "An existing topic is never changed: differences are reported with the command a person"
          + " could run.",
      "",
      "Examples:",
      "  expertflow topics plan -b kafka-1:9092 --command-config client.properties",
      "  expertflow topics apply -b kafka-1:9092 --command-config client.properties --yes",
      "  expertflow topics render --format strimzi --cluster my-cluster > kafka-topics.yaml"
    },
    subcommands = {TopicsCommand.Plan.class, TopicsCommand.Apply.class, TopicsRender.class})
public final class TopicsCommand implements Callable<Integer> {
  /** Existing topics differ from the catalogue; they were left as they are. */
  public static final int EXIT_DIFFERS = 3;

  /** Topics are missing and were not created (plan, or apply as a dry run). */
  public static final int EXIT_PENDING = 4;

  static final String EXIT_0 =
      "0:every catalogue topic exists and matches (apply: after creating the missing ones)";
  static final String EXIT_1 =
      "1:error: the cluster did not answer in time, refused the client, or an option is wrong";
  static final String EXIT_2 = "2:usage error";
  static final String EXIT_3 =
      EXIT_DIFFERS
          + ":an existing topic differs from the catalogue (left as it is; the commands that"
          + " would change it are printed)";
  static final String EXIT_4 =
      EXIT_PENDING
          + ":topics are missing and were not created (plan, or apply as a dry run); none"
          + " differs";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /** What {@code plan} and {@code apply} share: reading the cluster and printing the plan. */
  abstract static class ClusterCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ClusterOptions cluster;
    @Mixin TopicCatalogOptions catalogue;

    @Override
    public final Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      String bootstrap = cluster.bootstrapServers();
      try (Admin admin = cluster.admin()) {
        TopicAdmin topics = new TopicAdmin(admin, bootstrap, cluster.timeout);
        int brokers = topics.brokerCount();
        TopicCatalog catalog = catalogue.catalog(TopicCatalog.replicationFactorFor(brokers));
        out.printf("Kafka at %s: %d broker%s%n", bootstrap, brokers, brokers == 1 ? "" : "s");
        out.printf(
            "catalogue: %d topics under prefix '%s', replication factor %d (%s),"
                + " min.insync.replicas %d%n",
            catalog.specs().size(),
            catalog.prefix(),
            catalog.replicationFactor(),
            catalogue.replicationGiven() ? "given" : "one per broker, at most 3",
            catalog.minInsyncReplicas());
        if (catalog.replicationFactor() > brokers) {
          out.printf(
              "warning: replication factor %d is more than the cluster's %d broker%s: Kafka"
                  + " refuses to create such a topic%n",
              catalog.replicationFactor(), brokers, brokers == 1 ? "" : "s");
        }
        TopicPlan plan = topics.plan(catalog.specs());
        TopicPlanText text =
            new TopicPlanText(new TopicActions(bootstrap, cluster.commandConfigFile()));
        out.println();
        text.printTable(out, plan);
        TopicPlan after = act(out, topics, plan, catalog, brokers);
        text.printActions(out, after);
        out.flush();
        return exitCode(after);
      }
    }

    /** What the command does once the plan is printed; returns the plan that holds after it. */
    abstract TopicPlan act(
        PrintWriter out, TopicAdmin topics, TopicPlan plan, TopicCatalog catalog, int brokers);
  }

  static int exitCode(TopicPlan plan) {
    if (plan.anyDiffers()) {
      return EXIT_DIFFERS;
    }
    return plan.toCreate().isEmpty() ? 0 : EXIT_PENDING;
  }

  static String names(List<TopicSpec> specs) {
    return String.join(", ", specs.stream().map(TopicSpec::name).toList());
  }

  /** {@code topics plan}. */
  @Command(
      name = "plan",
      mixinStandardHelpOptions = true,
      description =
          "Compare the cluster's topics with the catalogue and print, for each topic, create"
              + " (missing), ok or differs (with have/want per setting). Changes nothing.",
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3, EXIT_4})
  static final class Plan extends ClusterCommand {
    @Override
    TopicPlan act(
        PrintWriter out, TopicAdmin topics, TopicPlan plan, TopicCatalog catalog, int brokers) {
      if (plan.inLine()) {
        out.println("the cluster has every catalogue topic as the catalogue says it");
      } else if (!plan.toCreate().isEmpty()) {
        out.printf(
            "plan only, nothing changed: 'expertflow topics apply' would create %d topic%s%n",
            plan.toCreate().size(), plan.toCreate().size() == 1 ? "" : "s");
      }
      return plan;
    }
  }

  /** {@code topics apply}. */
  @Command(
      name = "apply",
      mixinStandardHelpOptions = true,
      description = {
        "Create the catalogue's missing topics; never change an existing one (differences are"
            + " printed with the command a person could run, and the exit status is 3).",
        "On a cluster that already has some of the catalogue's topics this is a dry run unless"
            + " --yes (or --no-dry-run) is given; on a cluster with none of them it creates them."
      },
      exitCodeListHeading = "%nExit status:%n",
      exitCodeList = {EXIT_0, EXIT_1, EXIT_2, EXIT_3, EXIT_4})
  static final class Apply extends ClusterCommand {
    @Option(
        names = {"-y", "--yes"},
        description = "Create the missing topics even when some catalogue topics exist already.")
    boolean yes;

    @Option(
        names = "--dry-run",
        negatable = true,
        description =
            "--dry-run: print what would be created and change nothing (wins over --yes);"
                + " --no-dry-run: as --yes.")
    Boolean dryRun;

    @Override
    TopicPlan act(
        PrintWriter out, TopicAdmin topics, TopicPlan plan, TopicCatalog catalog, int brokers) {
      List<TopicSpec> missing = plan.toCreate();
      if (missing.isEmpty()) {
        out.println("nothing to create: every catalogue topic exists; apply changed nothing");
        return plan;
      }
      boolean confirmed = yes || Boolean.FALSE.equals(dryRun);
      if (Boolean.TRUE.equals(dryRun) || (plan.anyExists() && !confirmed)) {
        String why =
            Boolean.TRUE.equals(dryRun)
                ? "dry run (--dry-run)"
                : "dry run: "
                    + (plan.checks().size() - missing.size())
                    + " of the catalogue's topics exist already on this cluster, so apply creates"
                    + " nothing without --yes";
        out.printf(
            "%s; nothing changed. It would create %d topic%s: %s%n",
            why, missing.size(), missing.size() == 1 ? "" : "s", names(missing));
        return plan;
      }
      if (catalog.replicationFactor() > brokers) {
        throw new IllegalArgumentException(
            "replication factor "
                + catalog.replicationFactor()
                + " is more than the "
                + brokers
                + " broker(s) of the cluster at "
                + cluster.bootstrapServers()
                + ": give --replication-factor "
                + brokers
                + " or less");
      }
      ProvisioningResult result = topics.create(missing);
      out.printf(
          "created %d topic%s: %s%n",
          result.created().size(),
          result.created().size() == 1 ? "" : "s",
          String.join(", ", result.created()));
      if (!result.existing().isEmpty()) {
        out.printf(
            "created meanwhile by another client: %s%n", String.join(", ", result.existing()));
      }
      TopicPlan after = topics.plan(catalog.specs());
      out.println("now: " + TopicPlanText.summary(after));
      return after;
    }
  }
}
