package io.expertflow.cli.commands;

import io.expertflow.worker.WorkerConfig;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The {@code --config FILE} and {@code --set KEY=VALUE} options of a service command (worker,
 * updater), and how they combine with its dedicated flags.
 */
final class SettingsOptions {
  @Option(names = "--config", paramLabel = "FILE", description = "Properties file of settings.")
  Path config;

  @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any setting, repeatable.")
  Map<String, String> set = new HashMap<>();

  /**
   * The settings: the {@code --config} file, then {@code EXPERTFLOW_*} variables, then {@code
   * flags} (key to value, null where the flag was not given), whose gaps {@code --set} fills.
   */
  Map<String, String> merge(List<WorkerConfig.Setting> known, Map<String, String> flags) {
    Map<String, String> all = new HashMap<>(flags);
    // --set fills what no dedicated flag gave (an unset flag is a null value, which it replaces)
    set.forEach(all::putIfAbsent);
    return SettingsSource.merge(config, known, all);
  }
}
