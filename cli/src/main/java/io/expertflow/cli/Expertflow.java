package io.expertflow.cli;

import io.expertflow.cli.chaos.ChaosCommand;
import io.expertflow.cli.commands.AnalyzeCommand;
import io.expertflow.cli.commands.AuditCommand;
import io.expertflow.cli.commands.BrokerCommand;
import io.expertflow.cli.commands.CompareCommand;
import io.expertflow.cli.commands.CompletionCommand;
import io.expertflow.cli.commands.ConnectionOptions;
import io.expertflow.cli.commands.CorpusCommand;
import io.expertflow.cli.commands.DemoCommand;
import io.expertflow.cli.commands.FeedbackCommand;
import io.expertflow.cli.commands.ForgetCommand;
import io.expertflow.cli.commands.JobCommand;
import io.expertflow.cli.commands.LoopDemoCommand;
import io.expertflow.cli.commands.RegistryCommand;
import io.expertflow.cli.commands.SimilarCommand;
import io.expertflow.cli.commands.StatusCommand;
import io.expertflow.cli.commands.StreamsCommand;
import io.expertflow.cli.commands.SubmitCommand;
import io.expertflow.cli.commands.TailCommand;
import io.expertflow.cli.commands.TokenCommand;
import io.expertflow.cli.commands.TopicsCommand;
import io.expertflow.cli.commands.TrainCommand;
import io.expertflow.cli.commands.UpCommand;
import io.expertflow.cli.commands.UpdaterCommand;
import io.expertflow.cli.commands.VersionsCommand;
import io.expertflow.cli.commands.WorkerCommand;
import io.expertflow.schemas.access.KafkaAccessDenied;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.settings.DurationText;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;

/** Entry point of the {@code expertflow} command. */
@Command(
    name = "expertflow",
    mixinStandardHelpOptions = true,
    versionProvider = Expertflow.Version.class,
    description = "Kafka streaming inference for mixture-of-experts models.",
    subcommands = {
      DemoCommand.class,
      LoopDemoCommand.class,
      UpCommand.class,
      BrokerCommand.class,
      ChaosCommand.class,
      RegistryCommand.class,
      WorkerCommand.class,
      StreamsCommand.class,
      TrainCommand.class,
      CompareCommand.class,
      CorpusCommand.class,
      UpdaterCommand.class,
      VersionsCommand.class,
      TopicsCommand.class,
      AnalyzeCommand.class,
      SubmitCommand.class,
      JobCommand.class,
      TailCommand.class,
      StatusCommand.class,
      SimilarCommand.class,
      ForgetCommand.class,
      TokenCommand.class,
      FeedbackCommand.class,
      AuditCommand.class,
      CompletionCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Expertflow {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command line and returns its exit code (used by tests and by {@link #main}). */
  public static int run(String... args) {
    return commandLine().execute(args);
  }

  /**
   * The command line as {@link #main} runs it, with its error handling: a failure becomes one
   * {@code error:} line and exit status 1; durations are read as settings read them ({@link
   * DurationText}). Tests set its output and error writers.
   */
  public static CommandLine commandLine() {
    return new CommandLine(new Expertflow())
        .setCaseInsensitiveEnumValuesAllowed(true)
        // every duration option takes the settings' spellings: 90s, 5m, 2h, 7d, 500ms or ISO-8601
        .registerConverter(Duration.class, DurationText::parse)
        .setExecutionExceptionHandler(
            (e, cmd, parseResult) -> {
              cmd.getErr().println("error: " + message(e) + unansweredHint(e, cmd));
              if (System.getenv("EXPERTFLOW_DEBUG") != null) {
                e.printStackTrace(cmd.getErr());
              }
              return 1;
            });
  }

  static String message(Throwable e) {
    // a refusal by Kafka's ACLs names the permission that is missing
    var denied = KafkaAccessDenied.of(e, null);
    if (denied.isPresent()) {
      return denied.get().getMessage();
    }
    return ErrorText.of(e);
  }

  /**
   * Where a Kafka client timed out, where it was looking and how to point it elsewhere: Kafka's own
   * message ("Timeout expired while fetching topic metadata") names neither.
   */
  static String unansweredHint(Throwable e, CommandLine cmd) {
    boolean timedOut = false;
    for (Throwable t = e; t != null && !timedOut; t = t.getCause()) {
      timedOut = t instanceof org.apache.kafka.common.errors.TimeoutException;
    }
    if (!timedOut) {
      return "";
    }
    String where = "";
    for (CommandSpec mixin : cmd.getCommandSpec().mixins().values()) {
      if (mixin.userObject() instanceof ConnectionOptions connection) {
        where = " at " + connection.bootstrapServers();
      }
    }
    return " (Kafka"
        + where
        + " did not answer in time: start one here with 'expertflow up', or name yours with -b"
        + " HOST:PORT or EXPERTFLOW_BOOTSTRAP_SERVERS)";
  }

  /**
   * The project's version (written into {@code version.properties} by the build), the commit when
   * it runs from a git checkout, and the Java runtime.
   */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String commit = BuildInfo.commit().map(c -> ", commit " + c).orElse("");
      return new String[] {
        "expertflow " + BuildInfo.version() + commit,
        "Java " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")"
      };
    }
  }
}
