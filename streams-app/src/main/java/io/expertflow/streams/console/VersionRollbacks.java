package io.expertflow.streams.console;

/**
 * Rolls a model back to an earlier version, for the console's operators. The streams app does not
 * hold the version protocol (it lives with the workers and the updater); the command that starts
 * the app gives it one ({@code expertflow streams} does).
 */
@FunctionalInterface
public interface VersionRollbacks {
  /**
   * Makes {@code model} serve {@code target} again.
   *
   * @return the version now served
   * @throws IllegalArgumentException with a message for the operator when the rollback is refused
   *     (an unknown, rejected or already served version, missing tensors)
   */
  String rollback(String model, String target, String reason);
}
