package io.expertflow.cli.commands;

import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.streams.StreamsAppProperties;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * What the local stack of {@code expertflow up} gives a streams app started in its folder, for the
 * settings the app's own sources leave unset: the stack's development audit key, and, when the app
 * runs against the stack's brokers, the stack's own state folder (so a new stack's empty changelogs
 * never meet the stores an earlier one left in the shared default folder) and the loopback address
 * for the HTTP API (the stack's broker and registry listen on loopback alone). Stateless.
 */
final class StackStreamsDefaults {
  /** Where the HTTP API listens against the local stack when no setting says. */
  static final String HTTP_BIND = "127.0.0.1";

  private StackStreamsDefaults() {}

  /**
   * The settings to add, by name; empty when the stack gives nothing.
   *
   * @param values the app's settings from its own sources
   * @param stackFile the stack file of the folder the app starts in
   * @param devKey the stack's development audit key, if it made one
   */
  static Map<String, String> of(SettingValues values, Path stackFile, Optional<Path> devKey) {
    Map<String, String> defaults = new LinkedHashMap<>();
    boolean keyGiven =
        values.given(StreamsAppProperties.AUDIT_SIGNING_KEY_FILE).isPresent()
            || values.given(StreamsAppProperties.AUDIT_SIGNING_KEY).isPresent();
    if (!keyGiven && devKey.isPresent()) {
      // no key of its own: sign with the local stack's development key
      defaults.put(StreamsAppProperties.AUDIT_SIGNING_KEY_FILE.name(), devKey.get().toString());
    }
    Properties stack = ConnectionOptions.stackFile(stackFile);
    String servers = stack.getProperty("bootstrap.servers");
    if (servers == null || !values.get(ConnectionKeys.BOOTSTRAP_SERVERS).equals(servers)) {
      return defaults; // another cluster: nothing of the stack applies
    }
    String stateDir = stack.getProperty(LocalInfrastructure.STACK_STREAMS_STATE);
    if (stateDir != null && values.given(StreamsAppProperties.STATE_DIR).isEmpty()) {
      defaults.put(StreamsAppProperties.STATE_DIR.name(), stateDir);
    }
    if (values.given(StreamsAppProperties.HTTP_BIND).isEmpty()) {
      defaults.put(StreamsAppProperties.HTTP_BIND.name(), HTTP_BIND);
    }
    return defaults;
  }
}
