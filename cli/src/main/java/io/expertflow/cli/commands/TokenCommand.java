package io.expertflow.cli.commands;

import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow token}: bearer tokens of the streams app's HTTP API. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    description = {
      "Bearer tokens of the streams app's HTTP API (the request status and job APIs). The"
          + " streams app reads them from the file named by http.auth.tokens.file: one"
          + " 'tenant:sha256' line per token; a tenant sees its own requests and jobs only, '*'"
          + " sees every tenant's.",
      "",
      "Examples:",
      "  expertflow token create --tenant acme --file /etc/expertflow/api-tokens",
      "  EXPERTFLOW_TOKEN=... expertflow status r-1"
    },
    subcommands = {TokenCommand.Create.class})
public final class TokenCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code expertflow token create}. */
  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description =
          "Makes a new random token for a tenant, prints it once, and appends its SHA-256 (never"
              + " the token) to the tokens file. The streams app reads the file when it starts.")
  static final class Create implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
        names = "--tenant",
        required = true,
        description = "The tenant whose requests and jobs the token reads; '*' for all.")
    String tenant;

    @Option(
        names = "--role",
        defaultValue = "reviewer",
        description =
            "What the token may do in the console: reader (look), reviewer (also decide review"
                + " items) or operator (also roll the model back). Default: ${DEFAULT-VALUE}.")
    String role;

    @Option(
        names = "--file",
        paramLabel = "FILE",
        description = "The tokens file to append to (created, readable by its owner only).")
    Path file;

    @Override
    public Integer call() throws IOException {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      if (!tenant.equals(CallerTokens.ALL_TENANTS)
          && (tenant.isBlank() || tenant.length() > 128 || tenant.matches(".*[\\s:#].*"))) {
        err.println(
            "token: a tenant is 1 to 128 characters without spaces, ':' or '#', or '*' for all");
        return 2;
      }
      String roleName = role.strip().toLowerCase(java.util.Locale.ROOT);
      if (!java.util.List.of("reader", "reviewer", "operator").contains(roleName)) {
        err.println("token: --role is reader, reviewer or operator, not '" + role + "'");
        return 2;
      }
      String token = CallerTokens.newToken();
      String line = tenant + ":" + CallerTokens.hash(token) + ":" + roleName + "\n";
      if (file != null) {
        if (!Files.exists(file)) {
          Path parent = file.toAbsolutePath().getParent();
          if (parent != null) {
            Files.createDirectories(parent);
          }
          Files.createFile(file);
          try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
          } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps its default permissions
          }
        }
        Files.writeString(file, line, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        err.printf(
            "token: appended tenant %s to %s; restart the streams app to use it%n", tenant, file);
      } else {
        err.printf("token: add this line to the tokens file: %s", line);
      }
      out.println(token);
      out.flush();
      return 0;
    }
  }
}
