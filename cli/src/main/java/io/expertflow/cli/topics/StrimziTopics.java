package io.expertflow.cli.topics;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.SequenceWriter;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The catalogue as Strimzi {@code KafkaTopic} resources ({@code kafka.strimzi.io/v1beta2}), one
 * YAML document per topic, for the Topic Operator of the Strimzi cluster they are labelled with.
 * Written with Jackson's YAML support, so quoting and escaping are the library's. Stateless.
 */
public final class StrimziTopics {
  public static final String API_VERSION = "kafka.strimzi.io/v1beta2";
  public static final String KIND = "KafkaTopic";
  public static final String CLUSTER_LABEL = "strimzi.io/cluster";

  /** A Kubernetes object name (DNS-1123 subdomain), as {@code metadata.name} must be. */
  private static final Pattern RESOURCE_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  /** A label value, as the cluster name must be (and a namespace, which is stricter). */
  private static final Pattern LABEL_VALUE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

  private static final YAMLMapper YAML =
      YAMLMapper.builder()
          .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
          .disable(YAMLGenerator.Feature.SPLIT_LINES)
          .build();

  private StrimziTopics() {}

  /**
   * Renders every topic of the catalogue.
   *
   * @param cluster the name of the Strimzi {@code Kafka} resource whose Topic Operator manages them
   * @param namespace the namespace of the resources, or {@code null} to leave it to {@code kubectl}
   *     or kustomize
   * @param header comment lines written first, without their {@code #}
   * @throws IllegalArgumentException when the cluster or namespace is not a valid Kubernetes name
   */
  public static String render(
      TopicCatalog catalog, String cluster, String namespace, List<String> header) {
    requireName(cluster, "cluster name", 63);
    if (namespace != null) {
      requireName(namespace, "namespace", 63);
    }
    StringWriter out = new StringWriter();
    header.forEach(line -> out.append("# ").append(line).append('\n'));
    Set<String> names = new HashSet<>();
    try (SequenceWriter docs = YAML.writer().writeValues(out)) {
      for (TopicSpec spec : catalog.specs()) {
        Map<String, Object> resource = resource(spec, cluster, namespace);
        String name = (String) ((Map<?, ?>) resource.get("metadata")).get("name");
        if (!names.add(name)) {
          throw new IllegalArgumentException(
              "Two topics map to the resource name '" + name + "'; choose another --topic-prefix.");
        }
        docs.write(resource);
      }
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write a KafkaTopic as YAML: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** The resource name of a topic: the topic name where Kubernetes allows it. */
  static String resourceName(String topic) {
    if (topic.length() <= 253 && RESOURCE_NAME.matcher(topic).matches()) {
      return topic;
    }
    // each dot-separated part lower case, '-' for other characters, trimmed to a letter or digit
    String name =
        java.util.Arrays.stream(topic.toLowerCase(java.util.Locale.ROOT).split("\\."))
            .map(part -> part.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", ""))
            .filter(part -> !part.isEmpty())
            .collect(java.util.stream.Collectors.joining("."));
    return name.isEmpty() ? "topic" : name;
  }

  private static Map<String, Object> resource(TopicSpec spec, String cluster, String namespace) {
    String resourceName = resourceName(spec.name());
    Map<String, Object> metadata = new LinkedHashMap<>();
    metadata.put("name", resourceName);
    if (namespace != null) {
      metadata.put("namespace", namespace);
    }
    metadata.put("labels", Map.of(CLUSTER_LABEL, cluster));
    Map<String, Object> body = new LinkedHashMap<>();
    if (!resourceName.equals(spec.name())) {
      body.put("topicName", spec.name());
    }
    body.put("partitions", spec.partitions());
    body.put("replicas", (int) spec.replicationFactor());
    Map<String, Object> config = new TreeMap<>();
    spec.topicConfigs().forEach((k, v) -> config.put(k, typed(v)));
    body.put("config", config);
    Map<String, Object> resource = new LinkedHashMap<>();
    resource.put("apiVersion", API_VERSION);
    resource.put("kind", KIND);
    resource.put("metadata", metadata);
    resource.put("spec", body);
    return resource;
  }

  /** Numbers as YAML numbers ({@code retention.ms: 604800000}), the rest as strings. */
  private static Object typed(String value) {
    if (value.matches("-?[1-9][0-9]{0,17}|0")) {
      return Long.parseLong(value);
    }
    return value;
  }

  private static void requireName(String value, String what, int max) {
    Objects.requireNonNull(value, what);
    if (value.length() > max || !LABEL_VALUE.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "Invalid "
              + what
              + " '"
              + value
              + "': use at most "
              + max
              + " characters of a-z, 0-9 and '-', starting and ending with a letter or digit.");
    }
  }
}
