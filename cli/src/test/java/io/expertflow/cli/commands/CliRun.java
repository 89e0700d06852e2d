package io.expertflow.cli.commands;

import io.expertflow.cli.Expertflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/**
 * One run of the {@code expertflow} command in the test's JVM, with what it wrote to standard
 * output and standard error, as a person at a shell would see it; an exception that escapes a
 * command becomes an {@code error:} line and exit status 1, as in {@code Expertflow.main}.
 */
record CliRun(int code, String out, String err) {

  static CliRun run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new Expertflow());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    int code = cli.execute(args);
    return new CliRun(code, out.toString(), err.toString());
  }

  /** {@code args} followed by {@code more} (connection options, say). */
  static CliRun run(String[] args, String... more) {
    return run(concat(args, more));
  }

  /** {@code args} followed by {@code more}. */
  static String[] concat(String[] args, String... more) {
    String[] all = Arrays.copyOf(args, args.length + more.length);
    System.arraycopy(more, 0, all, args.length, more.length);
    return all;
  }
}
