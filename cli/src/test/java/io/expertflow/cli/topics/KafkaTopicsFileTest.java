package io.expertflow.cli.topics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.expertflow.cli.Expertflow;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * deploy/k8s/base/kafka-topics.yaml is the output of {@link #RENDER}: the catalogue with the
 * production defaults (prefix {@code expertflow.}, replication 3, min ISR 2) as Strimzi KafkaTopic
 * resources. Run with {@code -Dexpertflow.docs.regenerate=true} to rewrite it after changing the
 * catalogue.
 */
class KafkaTopicsFileTest {
  static final Path BASE = Path.of("../deploy/k8s/base");
  static final Path FILE = BASE.resolve("kafka-topics.yaml");
  static final String[] RENDER = {
    "topics", "render", "--format", "strimzi", "--cluster", "expertflow"
  };
  static final TopicCatalog PRODUCTION =
      TopicCatalog.builder().replicationFactor(TopicCatalog.DEFAULT_MAX_REPLICATION_FACTOR).build();

  @Test
  void shouldKeepTheCommittedFileEqualToTheRenderedCatalogue() throws IOException {
    String rendered = render(RENDER);
    if (Boolean.getBoolean("expertflow.docs.regenerate")) {
      Files.writeString(FILE, rendered);
    }

    assertThat(Files.readString(FILE))
        .as(
            "deploy/k8s/base/kafka-topics.yaml differs from the topic catalogue; regenerate it"
                + " with: ./expertflow %s > deploy/k8s/base/kafka-topics.yaml (or run this test"
                + " with -Dexpertflow.docs.regenerate=true)",
            String.join(" ", RENDER))
        .isEqualTo(rendered);
  }

  @Test
  void shouldRenderEveryTopicWithItsLayoutConfigsAndClusterLabel() throws IOException {
    List<JsonNode> docs = documents(render(RENDER));

    assertThat(docs).hasSize(PRODUCTION.specs().size());
    for (int i = 0; i < docs.size(); i++) {
      JsonNode doc = docs.get(i);
      TopicSpec spec = PRODUCTION.specs().get(i);
      assertThat(doc.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
      assertThat(doc.path("kind").asText()).isEqualTo("KafkaTopic");
      assertThat(doc.path("metadata").path("name").asText()).isEqualTo(spec.name());
      assertThat(doc.path("metadata").has("namespace")).isFalse();
      assertThat(doc.path("metadata").path("labels").path("strimzi.io/cluster").asText())
          .isEqualTo("expertflow");
      assertThat(doc.path("spec").path("partitions").asInt()).isEqualTo(spec.partitions());
      assertThat(doc.path("spec").path("replicas").asInt()).isEqualTo(3);
      JsonNode config = doc.path("spec").path("config");
      assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
      spec.topicConfigs()
          .forEach((key, value) -> assertThat(config.path(key).asText()).isEqualTo(value));
      assertThat(config.size()).isEqualTo(spec.topicConfigs().size());
    }
  }

  @Test
  void shouldNameTheNamespaceAndKeepAnInvalidResourceNameAsTopicName() throws IOException {
    List<JsonNode> docs =
        documents(
            render(
                "topics",
                "render",
                "--cluster",
                "prod-kafka",
                "--namespace",
                "streaming",
                "--topic-prefix",
                "Team_A.",
                "--replication-factor",
                "2",
                "--partitions",
                "requests=24"));

    JsonNode requests = docs.get(1);
    assertThat(requests.path("metadata").path("name").asText()).isEqualTo("team-a.requests");
    assertThat(requests.path("metadata").path("namespace").asText()).isEqualTo("streaming");
    assertThat(requests.path("spec").path("topicName").asText()).isEqualTo("Team_A.requests");
    assertThat(requests.path("spec").path("partitions").asInt()).isEqualTo(24);
    assertThat(requests.path("spec").path("replicas").asInt()).isEqualTo(2);
    assertThat(requests.path("spec").path("config").path("min.insync.replicas").asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldRefuseAClusterNameKubernetesWouldRefuse() {
    StringWriter err = new StringWriter();
    int code = run(new StringWriter(), err, "topics", "render", "--cluster", "My_Cluster");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Invalid cluster name 'My_Cluster'");
  }

  @Test
  void shouldBuildTheBaseWithKustomizeNamingEveryCatalogueTopic() throws Exception {
    Assumptions.assumeTrue(
        onPath("kubectl"), "kubectl is not on PATH: 'kubectl kustomize' of the base not checked");
    Process kustomize =
        new ProcessBuilder("kubectl", "kustomize", BASE.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String built = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kustomize.exitValue()).as("kubectl kustomize %s", BASE).isZero();

    List<JsonNode> docs =
        documents(built).stream()
            .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
            .toList();

    assertThat(docs)
        .extracting(d -> d.path("metadata").path("name").asText())
        .containsExactlyInAnyOrderElementsOf(
            PRODUCTION.specs().stream().map(TopicSpec::name).toList());
  }

  private static String render(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(out, err, args);
    assertThat(code).as("exit status; stderr: %s", err).isZero();
    return out.toString();
  }

  private static int run(StringWriter out, StringWriter err, String... args) {
    CommandLine cli = new CommandLine(new Expertflow());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    cli.setExecutionExceptionHandler(
        (e, cmd, parsed) -> {
          cmd.getErr().println("error: " + e.getMessage());
          return 1;
        });
    return cli.execute(args);
  }

  private static List<JsonNode> documents(String yaml) throws IOException {
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it =
        new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
      while (it.hasNext()) {
        JsonNode doc = it.next();
        if (!doc.isNull() && !doc.isMissingNode()) {
          docs.add(doc);
        }
      }
    }
    return docs;
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    return path != null
        && java.util.Arrays.stream(path.split(java.io.File.pathSeparator))
            .anyMatch(dir -> Files.isExecutable(Path.of(dir, program)));
  }
}
