package io.expertflow.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.expertflow.cli.jobs.JobApi;
import io.expertflow.cli.jobs.JobText;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow job}: bulk jobs that a team can start, watch, resume and export. */
@Command(
    name = "job",
    mixinStandardHelpOptions = true,
    description = {
      "Bulk jobs: submit a set of documents as one job, watch its figures, resume it after a"
          + " crash by submitting again, export its answers (docs/JOBS.md).",
      "",
      "Examples:",
      "  expertflow job submit contracts/ --name contracts-2026-11",
      "  expertflow job wait contracts-2026-11-856a1b33 --timeout 2h",
      "  expertflow job export contracts-2026-11-856a1b33 --format csv --out answers.csv"
    },
    subcommands = {
      JobSubmitCommand.class,
      JobCommand.Status.class,
      JobWaitCommand.class,
      JobCommand.ListJobs.class,
      JobExportCommand.class
    })
public final class JobCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Where the job API is, for the commands that ask it. */
  static final class ApiOptions {
    @Option(
        names = "--status-url",
        paramLabel = "URL",
        description =
            "Base URL of the streams app's API (env "
                + StatusCommand.STATUS_URL_ENV
                + "; default: "
                + StatusCommand.DEFAULT_STATUS_URL
                + ").")
    String statusUrl;

    @Option(names = "--tenant", description = "Only jobs of this tenant.")
    String tenant;

    @Option(
        names = "--token",
        paramLabel = "TOKEN",
        description =
            "Bearer token, when the API authenticates callers (env "
                + StatusCommand.TOKEN_ENV
                + ").")
    String token;

    @Option(
        names = "--http-timeout",
        defaultValue = "PT10S",
        description = "Give up on one call after this long (default: ${DEFAULT-VALUE}).")
    Duration httpTimeout;

    JobApi api() {
      return new JobApi(
          StatusCommand.baseUrl(statusUrl), tenant, httpTimeout, StatusCommand.token(token));
    }
  }

  /** {@code expertflow job status ID}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "A job's figures: documents, submitted, answered (expired, failed), dead letters by"
            + " reason, compliance decisions, labels, start and last answer. Exit code 0 when"
            + " the job is known, 3 when it is not, 1 when the API cannot answer."
      })
  static final class Status implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "ID", description = "The job id that 'job submit' printed.")
    String jobId;

    @Option(names = "--json", description = "Print the API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      JobApi.Answer answer = api.api().job(jobId);
      int rc = 0;
      if (answer instanceof JobApi.Found found) {
        out.print(
            json ? found.body().toString() + System.lineSeparator() : JobText.block(found.body()));
      } else if (answer instanceof JobApi.Unknown) {
        err.printf("%s: unknown job (nothing of it counted yet, or another tenant's)%n", jobId);
        rc = 3;
      } else {
        err.printf("%s: %s%n", jobId, reason(answer));
        rc = 1;
      }
      out.flush();
      err.flush();
      return rc;
    }
  }

  /** {@code expertflow job list}. */
  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {"Every job the streams app counts, earliest first, with its figures."})
  static final class ListJobs implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ApiOptions api;

    @Option(names = "--json", description = "Print the API's JSON as it is.")
    boolean json;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      JobApi.Answer answer = api.api().list();
      if (!(answer instanceof JobApi.Found found)) {
        err.println("job list: " + reason(answer));
        err.flush();
        return 1;
      }
      if (json) {
        out.println(found.body());
      } else {
        out.println(JobText.header());
        for (JsonNode job : found.body().path("jobs")) {
          out.println(JobText.row(job));
        }
      }
      out.flush();
      return 0;
    }
  }

  static String reason(JobApi.Answer answer) {
    if (answer instanceof JobApi.NotReady notReady) {
      return "the job store is not ready (rebalancing or restoring); retry shortly: "
          + notReady.reason();
    }
    if (answer instanceof JobApi.Failed failed) {
      return failed.reason();
    }
    return "unknown job";
  }
}
