package io.expertflow.schemas.settings;

import static io.expertflow.schemas.settings.SettingType.STRING;

import java.util.List;

/**
 * Where the Kafka cluster and the schema registry are: keys every service shares. Without a value
 * the command line falls back to the local stack that {@code expertflow up} started, else to the
 * defaults.
 */
public final class ConnectionKeys {
  public static final String DEFAULT_BOOTSTRAP_SERVERS = "localhost:9092";
  public static final String DEFAULT_SCHEMA_REGISTRY_URL = "http://localhost:8081";

  public static final SettingKey<String> BOOTSTRAP_SERVERS =
      SettingKey.of(
          "bootstrap.servers",
          STRING,
          DEFAULT_BOOTSTRAP_SERVERS,
          "Kafka bootstrap servers (flag -b). Unset: the local stack of 'expertflow up' in the"
              + " working folder, else the default.");
  public static final SettingKey<String> SCHEMA_REGISTRY_URL =
      SettingKey.of(
          "schema.registry.url",
          STRING,
          DEFAULT_SCHEMA_REGISTRY_URL,
          "Schema registry speaking the Confluent REST API (flag -r). Unset: the local stack, else"
              + " the default.");

  /** Both keys, in documentation order. */
  public static final List<SettingKey<?>> KEYS = List.of(BOOTSTRAP_SERVERS, SCHEMA_REGISTRY_URL);

  private ConnectionKeys() {}
}
