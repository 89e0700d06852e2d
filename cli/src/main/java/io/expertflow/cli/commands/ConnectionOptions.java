package io.expertflow.cli.commands;

import io.expertflow.operators.text.InvalidUtf8Exception;
import io.expertflow.operators.text.TextDecoder;
import io.expertflow.schemas.errors.ErrorText;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.topics.TopicNames;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.CommonClientConfigs;
import picocli.CommandLine.Option;

/**
 * Where the Kafka cluster and the schema registry are, shared by every command that talks to them.
 *
 * <p>Each value comes from, in order: the flag, the environment variable, the file {@code
 * .expertflow/stack.properties} that {@code expertflow up} writes in the working directory, and the
 * default ({@code localhost:9092}, {@code http://localhost:8081}).
 */
public final class ConnectionOptions {
  public static final String STACK_FILE = ".expertflow/stack.properties";
  public static final String DEFAULT_BOOTSTRAP = "localhost:9092";
  public static final String DEFAULT_REGISTRY = "http://localhost:8081";
  public static final String DEFAULT_PREFIX = TopicNames.DEFAULT_PREFIX;

  /** The stack file's key for the client file used when no --command-config is given. */
  public static final String STACK_COMMAND_CONFIG = "command.config";

  @Option(
      names = {"-b", "--bootstrap-servers"},
      paramLabel = "HOST:PORT[,...]",
      description =
          "Kafka bootstrap servers (env EXPERTFLOW_BOOTSTRAP_SERVERS; default: the local stack"
              + " started by 'expertflow up', else "
              + DEFAULT_BOOTSTRAP
              + ").")
  String bootstrapServers;

  @Option(
      names = {"-r", "--schema-registry-url"},
      paramLabel = "URL",
      description =
          "Schema registry URL speaking the Confluent REST API (env EXPERTFLOW_SCHEMA_REGISTRY_URL;"
              + " default: the local stack, else "
              + DEFAULT_REGISTRY
              + ").")
  String schemaRegistryUrl;

  @Option(
      names = "--command-config",
      paramLabel = "FILE",
      description =
          "Properties file with Kafka client security settings (security.protocol, sasl.*, ssl.*)"
              + " and registry auth (basic.auth.user.info, bearer.auth.token); env"
              + " EXPERTFLOW_COMMAND_CONFIG.")
  Path commandConfig;

  @Option(
      names = "--topic-prefix",
      paramLabel = "PREFIX",
      description =
          "Prefix of every topic name (env EXPERTFLOW_TOPIC_PREFIX; default: "
              + DEFAULT_PREFIX
              + ").")
  String topicPrefix;

  /**
   * Options as if given as the flags {@code -b}, {@code -r} and {@code --command-config} (which may
   * be null), for a command that takes them under options of its own.
   */
  public static ConnectionOptions of(String bootstrap, String registryUrl, Path commandConfig) {
    ConnectionOptions o = new ConnectionOptions();
    o.bootstrapServers = bootstrap;
    o.schemaRegistryUrl = registryUrl;
    o.commandConfig = commandConfig;
    return o;
  }

  public String bootstrapServers() {
    return resolve(
        bootstrapServers, "EXPERTFLOW_BOOTSTRAP_SERVERS", "bootstrap.servers", DEFAULT_BOOTSTRAP);
  }

  public String schemaRegistryUrl() {
    return resolve(
        schemaRegistryUrl,
        "EXPERTFLOW_SCHEMA_REGISTRY_URL",
        "schema.registry.url",
        DEFAULT_REGISTRY);
  }

  public String topicPrefix() {
    if (topicPrefix != null) {
      return topicPrefix;
    }
    String fromEnv = System.getenv("EXPERTFLOW_TOPIC_PREFIX");
    return fromEnv != null ? fromEnv : DEFAULT_PREFIX;
  }

  /** The full name of a topic given as a logical name ({@code requests}) or a full name. */
  public String topic(String name) {
    String prefix = topicPrefix();
    return name.startsWith(prefix) ? name : prefix + name;
  }

  /**
   * The connection flags given on the command line, keyed as settings ({@code bootstrap.servers},
   * {@code schema.registry.url}, {@code topic.prefix}); a service command binds them above its
   * {@code --config} file and the environment.
   */
  Map<String, String> givenFlags() {
    Map<String, String> out = new LinkedHashMap<>();
    if (bootstrapServers != null && !bootstrapServers.isBlank()) {
      out.put("bootstrap.servers", bootstrapServers);
    }
    if (schemaRegistryUrl != null && !schemaRegistryUrl.isBlank()) {
      out.put("schema.registry.url", schemaRegistryUrl);
    }
    if (topicPrefix != null) {
      out.put("topic.prefix", topicPrefix);
    }
    return out;
  }

  /** The addresses in the local stack's file, if {@code expertflow up} wrote one here. */
  Map<String, String> localStack() {
    Map<String, String> out = new LinkedHashMap<>();
    Properties p = stackFile(Path.of(STACK_FILE));
    for (String key : List.of("bootstrap.servers", "schema.registry.url")) {
      String v = p.getProperty(key);
      if (v != null && !v.isBlank()) {
        out.put(key, v);
      }
    }
    return out;
  }

  /**
   * Uses these addresses from now on, as if given as flags: a service command hands over what it
   * bound from all its sources.
   */
  void adopt(String bootstrap, String registryUrl) {
    bootstrapServers = bootstrap;
    schemaRegistryUrl = registryUrl;
  }

  /** Kafka client properties: bootstrap servers plus the security file's settings. */
  public Map<String, Object> kafkaProperties() {
    Map<String, Object> props = new HashMap<>();
    securityProperties().forEach((k, v) -> props.put(k.toString(), v));
    props.remove(SchemaRegistryConfig.BASIC_AUTH_USER_INFO);
    props.remove(SchemaRegistryConfig.BASIC_AUTH_CREDENTIALS_SOURCE);
    props.remove(SchemaRegistryConfig.BEARER_AUTH_TOKEN);
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
    return props;
  }

  /** Registry client settings: the URL plus the security file's registry auth settings. */
  public Map<String, Object> registryProperties() {
    Map<String, Object> props = new HashMap<>();
    securityProperties().forEach((k, v) -> props.put(k.toString(), v));
    props.put(SchemaRegistryConfig.URL, schemaRegistryUrl());
    return props;
  }

  public SchemaRegistryClient registryClient() {
    return new HttpSchemaRegistryClient(SchemaRegistryConfig.fromProperties(registryProperties()));
  }

  private Properties securityProperties() {
    Path file = commandConfig;
    if (file == null && System.getenv("EXPERTFLOW_COMMAND_CONFIG") != null) {
      file = Path.of(System.getenv("EXPERTFLOW_COMMAND_CONFIG"));
    }
    if (file == null
        && (bootstrapServers == null || bootstrapServers.isBlank())
        && System.getenv("EXPERTFLOW_BOOTSTRAP_SERVERS") == null) {
      // 'expertflow up --sasl' names its super user's client file in the stack file, for its broker
      String fromStack = stackValue(STACK_COMMAND_CONFIG);
      file = fromStack == null ? null : Path.of(fromStack);
    }
    Properties p = new Properties();
    if (file != null) {
      try {
        p.load(new StringReader(clientFileText(Files.readAllBytes(file))));
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read --command-config " + file + ": " + ErrorText.of(e), e);
      }
    }
    return p;
  }

  /**
   * The text of a client properties file: UTF-8, as a user's editor writes it, or ISO-8859-1 where
   * the bytes are not UTF-8, as Kafka's own tools read the same file (so a file written for them
   * keeps working). The two agree on a file of ASCII alone.
   */
  static String clientFileText(byte[] bytes) {
    try {
      return TextDecoder.strict().decode(bytes).text();
    } catch (InvalidUtf8Exception notUtf8) {
      return new String(bytes, StandardCharsets.ISO_8859_1);
    }
  }

  private static String resolve(String flag, String env, String stackKey, String fallback) {
    if (flag != null && !flag.isBlank()) {
      return flag;
    }
    String fromEnv = System.getenv(env);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    String fromStack = stackValue(stackKey);
    return fromStack != null ? fromStack : fallback;
  }

  /** A value of the local stack's file, if {@code expertflow up} wrote one here and it has it. */
  private static String stackValue(String key) {
    return stackValue(Path.of(STACK_FILE), key);
  }

  /** A value of the stack file {@code stack}, or null when the file or the value is missing. */
  static String stackValue(Path stack, String key) {
    String v = stackFile(stack).getProperty(key);
    return v == null || v.isBlank() ? null : v;
  }

  /**
   * What the stack file {@code stack} says ({@code expertflow up} writes it); nothing when there is
   * none.
   *
   * @throws UncheckedIOException when it is there and cannot be read
   */
  static Properties stackFile(Path stack) {
    Properties p = new Properties();
    if (Files.isRegularFile(stack)) {
      try (InputStream in = Files.newInputStream(stack)) {
        p.load(in);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + stack + ": " + ErrorText.of(e), e);
      }
    }
    return p;
  }
}
