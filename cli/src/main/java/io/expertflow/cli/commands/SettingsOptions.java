package io.expertflow.cli.commands;

import io.expertflow.schemas.settings.ConnectionKeys;
import io.expertflow.schemas.settings.SettingTable;
import io.expertflow.schemas.settings.SettingValues;
import io.expertflow.schemas.settings.SettingsBinder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} and {@code --set KEY=VALUE} options of a service command (worker,
 * updater, streams), and how they combine with its dedicated flags, the connection flags and the
 * environment into the service's {@link SettingValues}.
 */
final class SettingsOptions {
  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of settings (keys of docs/CONFIGURATION.md).")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, repeatable.")
  Map<String, String> set = new HashMap<>();

  /** Where {@code EXPERTFLOW_*} variables are read; tests replace it. */
  Map<String, String> environment = System.getenv();

  /**
   * Binds the service's settings, later ones winning: the local stack's addresses and the {@code
   * --command-config} client settings ({@code lowest}, key to value), the {@code --config} file,
   * {@code EXPERTFLOW_*} variables, {@code --set}, then the dedicated and connection flags ({@code
   * flags}, null where a flag was not given). Then hands the bound addresses and prefix to {@code
   * connection}, so its Kafka and registry clients use them.
   *
   * @throws IllegalArgumentException naming the source, key and value of the first problem
   */
  SettingValues bind(
      SettingTable table,
      ConnectionOptions connection,
      Map<String, String> lowest,
      Map<String, String> flags) {
    Map<String, String> commandLine = new LinkedHashMap<>(set);
    connection.givenFlags().forEach(commandLine::put);
    flags.forEach(
        (k, v) -> {
          if (v != null) {
            commandLine.put(k, v);
          }
        });
    Map<String, String> fallback = new LinkedHashMap<>(connection.localStack());
    fallback.putAll(lowest);
    SettingValues values = SettingsBinder.bind(table, fallback, config, environment, commandLine);
    connection.adopt(
        values.get(ConnectionKeys.BOOTSTRAP_SERVERS),
        values.get(ConnectionKeys.SCHEMA_REGISTRY_URL));
    return values;
  }
}
