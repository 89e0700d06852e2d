package io.expertflow.cli.commands;

import picocli.CommandLine.Option;

/**
 * What every submitted request carries unless its own line says otherwise: tenant, priority lane
 * and task ({@code submit}, {@code job submit}).
 */
public final class RequestOptions {
  /** The tenant of a request that names none. */
  static final String DEFAULT_TENANT = "default";

  @Option(
      names = "--tenant",
      defaultValue = DEFAULT_TENANT,
      description = "Tenant (default: ${DEFAULT-VALUE}).")
  String tenant;

  @Option(
      names = "--priority",
      defaultValue = "0",
      description = "Priority lane 0-9 (default: ${DEFAULT-VALUE}).")
  int priority;

  @Option(
      names = "--task",
      defaultValue = "classify",
      description = "Task (default: ${DEFAULT-VALUE}).")
  String task;

  /** The error to print when the options are out of range, or {@code null}. */
  String problem() {
    return priority < 0 || priority > 9 ? "--priority must be 0 to 9, was " + priority : null;
  }

  /** The defaults of each request, with {@code deadlineMs} (may be null). */
  DocumentSource.RequestDefaults defaults(Long deadlineMs) {
    return new DocumentSource.RequestDefaults(tenant, priority, task, deadlineMs);
  }
}
