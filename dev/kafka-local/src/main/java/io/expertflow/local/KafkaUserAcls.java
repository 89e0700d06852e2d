package io.expertflow.local;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The ACLs of Strimzi {@code KafkaUser} manifests (as {@code deploy/k8s/base/kafka-users.yaml}
 * declares them) as Kafka {@link AclBinding}s, so a local SASL broker grants each component what
 * the cluster in production grants it, no more. Each user's principal is {@code
 * User:<metadata.name>}; every ACL allows, from any host.
 *
 * <p>Topic names and prefixes in the manifests start with {@value #MANIFEST_TOPIC_PREFIX}; {@link
 * #load(Path, String)} puts another topic prefix in its place. Other resources (groups,
 * transactional ids) keep their names. Immutable.
 */
public final class KafkaUserAcls {

  /** The topic prefix the manifests are written for. */
  public static final String MANIFEST_TOPIC_PREFIX = "expertflow.";

  private static final String KIND = "KafkaUser";

  private final Map<String, List<AclBinding>> byUser;

  private KafkaUserAcls(Map<String, List<AclBinding>> byUser) {
    this.byUser = byUser;
  }

  /** The manifests' ACLs for topics under {@value #MANIFEST_TOPIC_PREFIX}. */
  public static KafkaUserAcls load(Path manifests) {
    return load(manifests, MANIFEST_TOPIC_PREFIX);
  }

  /**
   * The manifests' ACLs with {@code topicPrefix} in place of {@value #MANIFEST_TOPIC_PREFIX}.
   *
   * @throws IllegalArgumentException naming the file, the user and the value when a resource type,
   *     pattern type or operation is not one Kafka knows
   */
  public static KafkaUserAcls load(Path manifests, String topicPrefix) {
    Objects.requireNonNull(topicPrefix, "topicPrefix");
    Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
    Map<String, List<AclBinding>> byUser = new LinkedHashMap<>();
    try (Reader in = Files.newBufferedReader(manifests)) {
      for (Object document : yaml.loadAll(in)) {
        if (document instanceof Map<?, ?> map && KIND.equals(map.get("kind"))) {
          String user = text(child(map, "metadata").get("name"), manifests, "metadata.name");
          Map<?, ?> authorization = child(child(map, "spec"), "authorization");
          List<AclBinding> bindings = new ArrayList<>();
          for (Object acl : list(authorization.get("acls"))) {
            bindings.addAll(
                bindings(user, (Map<?, ?>) acl, new Source(manifests, user), topicPrefix));
          }
          byUser.put(user, List.copyOf(bindings));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the KafkaUser manifests in " + manifests, e);
    }
    return new KafkaUserAcls(Map.copyOf(byUser));
  }

  /** The users the manifests declare. */
  public List<String> users() {
    return byUser.keySet().stream().sorted().toList();
  }

  /** The ACLs of {@code user}; empty for a user the manifests do not declare. */
  public List<AclBinding> of(String user) {
    return byUser.getOrDefault(user, List.of());
  }

  /** Every user's ACLs. */
  public List<AclBinding> all() {
    return byUser.values().stream().flatMap(List::stream).toList();
  }

  /** Where an ACL was declared, for messages. */
  private record Source(Path file, String user) {
    IllegalArgumentException wrong(String what, Object value, String known) {
      return new IllegalArgumentException(
          "KafkaUser "
              + user
              + " in "
              + file
              + ": unknown "
              + what
              + " '"
              + value
              + "'; Kafka knows "
              + known
              + ".");
    }
  }

  private static List<AclBinding> bindings(
      String user, Map<?, ?> acl, Source source, String topicPrefix) {
    Map<?, ?> resource = child(acl, "resource");
    ResourceType type = resourceType(resource.get("type"), source);
    String name =
        type == ResourceType.CLUSTER
            ? "kafka-cluster"
            : text(resource.get("name"), source.file(), "resource.name");
    if (type == ResourceType.TOPIC && name.startsWith(MANIFEST_TOPIC_PREFIX)) {
      name = topicPrefix + name.substring(MANIFEST_TOPIC_PREFIX.length());
    }
    PatternType pattern = patternType(resource.get("patternType"), source);
    String host = acl.get("host") == null ? "*" : acl.get("host").toString();
    List<Object> operations = new ArrayList<>(list(acl.get("operations")));
    if (acl.get("operation") != null) {
      operations.add(acl.get("operation"));
    }
    List<AclBinding> out = new ArrayList<>();
    for (Object operation : operations) {
      out.add(
          new AclBinding(
              new ResourcePattern(type, name, pattern),
              new AccessControlEntry(
                  "User:" + user, host, operation(operation, source), AclPermissionType.ALLOW)));
    }
    return out;
  }

  private static ResourceType resourceType(Object value, Source source) {
    return switch (String.valueOf(value)) {
      case "topic" -> ResourceType.TOPIC;
      case "group" -> ResourceType.GROUP;
      case "transactionalId" -> ResourceType.TRANSACTIONAL_ID;
      case "cluster" -> ResourceType.CLUSTER;
      default ->
          throw source.wrong("resource type", value, "topic, group, transactionalId, cluster");
    };
  }

  private static PatternType patternType(Object value, Source source) {
    if (value == null) {
      return PatternType.LITERAL;
    }
    return switch (value.toString()) {
      case "literal" -> PatternType.LITERAL;
      case "prefix" -> PatternType.PREFIXED;
      default -> throw source.wrong("pattern type", value, "literal, prefix");
    };
  }

  /** Strimzi spells operations as Kafka's ACL tools do, in camel case: {@code DescribeConfigs}. */
  private static AclOperation operation(Object value, Source source) {
    String camel = String.valueOf(value);
    String constant = camel.replaceAll("([a-z])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
    try {
      AclOperation operation = AclOperation.valueOf(constant);
      if (operation != AclOperation.UNKNOWN && operation != AclOperation.ANY) {
        return operation;
      }
    } catch (IllegalArgumentException e) {
      // reported below with the operations Kafka knows
    }
    throw source.wrong("operation", value, knownOperations());
  }

  private static String knownOperations() {
    return Arrays.stream(AclOperation.values())
        .filter(o -> o != AclOperation.UNKNOWN && o != AclOperation.ANY)
        .map(KafkaUserAcls::camelCase)
        .collect(Collectors.joining(", "));
  }

  private static String camelCase(AclOperation operation) {
    return Arrays.stream(operation.name().split("_"))
        .map(w -> w.charAt(0) + w.substring(1).toLowerCase(Locale.ROOT))
        .collect(Collectors.joining());
  }

  private static Map<?, ?> child(Map<?, ?> parent, String key) {
    Object value = parent.get(key);
    return value instanceof Map<?, ?> map ? map : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> list ? list : List.of();
  }

  private static String text(Object value, Path file, String what) {
    if (value == null || value.toString().isBlank()) {
      throw new IllegalArgumentException("A KafkaUser in " + file + " has no " + what + ".");
    }
    return value.toString();
  }
}
