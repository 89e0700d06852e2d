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

/**
 * {@code expertflow job wait ID}: polls the job API until every document of the job is answered or
 * dead-lettered, drawing a progress bar with the rate and the time left.
 */
@Command(
    name = "wait",
    mixinStandardHelpOptions = true,
    description = {
      "Wait until every document of a job is answered or dead-lettered, with a progress bar and"
          + " the time left. The job's size is what 'job submit' counted (or --expect).",
      "Exit codes: 0 every document has its outcome; "
          + JobWaitCommand.TIMED_OUT
          + " the timeout passed first (also when the job never showed up); 1 the API cannot be"
          + " reached.",
    })
public final class JobWaitCommand implements Callable<Integer> {
  /** Exit code when the timeout passes before the job is done. */
  public static final int TIMED_OUT = 4;

  @Spec CommandSpec spec;
  @Mixin JobCommand.ApiOptions api;

  @Parameters(paramLabel = "ID", description = "The job id that 'job submit' printed.")
  String jobId;

  @Option(
      names = "--timeout",
      defaultValue = "PT1H",
      description = "Give up after this long (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--interval",
      defaultValue = "PT1S",
      description = "How often to ask (default: ${DEFAULT-VALUE}).")
  Duration interval;

  @Option(
      names = "--expect",
      paramLabel = "N",
      defaultValue = "0",
      description =
          "Wait for N documents instead of the job's own count (e.g. when some were refused as"
              + " too large and never sent).")
  long expect;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    JobApi client = api.api();
    long started = System.nanoTime();
    long deadline = started + timeout.toNanos();
    Long firstDone = null;
    long firstAt = 0;
    String lastLine = "";
    JsonNode job = null;
    int failures = 0;
    while (true) {
      JobApi.Answer answer = client.job(jobId);
      long now = System.nanoTime();
      if (answer instanceof JobApi.Found found) {
        failures = 0;
        job = found.body();
        long done = JobText.done(job);
        if (firstDone == null) {
          firstDone = done;
          firstAt = now;
        }
        double seconds = (now - firstAt) / 1e9;
        double rate = seconds > 0.5 && done > firstDone ? (done - firstDone) / seconds : -1;
        String line = JobText.progress(job, expect, rate);
        if (!line.equals(lastLine)) {
          err.println(line);
          err.flush();
          lastLine = line;
        }
        if (JobText.finished(job, expect)) {
          out.print(JobText.block(job));
          out.flush();
          return 0;
        }
      } else if (answer instanceof JobApi.Failed failed && ++failures >= 3) {
        err.printf("job wait: %s%n", failed.reason());
        err.flush();
        return 1;
      }
      if (now > deadline) {
        err.printf(
            "job wait: %s not done after %s%s%n",
            jobId,
            timeout,
            job == null
                ? " (the job API never knew it: is the job id right, and does 'expertflow"
                    + " streams' run the jobs topology?)"
                : "");
        if (job != null) {
          out.print(JobText.block(job));
        }
        out.flush();
        err.flush();
        return TIMED_OUT;
      }
      Thread.sleep(Math.max(50, Math.min(interval.toMillis(), (deadline - now) / 1_000_000 + 1)));
    }
  }
}
