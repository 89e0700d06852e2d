package io.expertflow.cli.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.expertflow.avro.DeadLetterReason;
import io.expertflow.avro.ResponseStatus;
import io.expertflow.schemas.settings.SettingKey;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicSpec;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import io.expertflow.updater.UpdaterKeys;
import io.expertflow.worker.WorkerConfig;
import io.expertflow.worker.WorkerKeys;
import io.expertflow.worker.WorkerMetrics;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders every overlay of deploy/k8s with {@code kubectl kustomize} and checks what a platform
 * team relies on: each resource parses as its kind (typed models for core and Strimzi kinds, with
 * no field the model does not know; KEDA and Prometheus-operator kinds structurally), every
 * container has requests, limits, probes and a non-root read-only security context, the settings
 * are keys the services know, the Kafka names match the code, the topics match the catalogue, and
 * the alerts and dashboard use only metrics that exist. Skipped where kubectl is not installed.
 */
class KubernetesManifestsTest {
  static final Path K8S = Path.of("../deploy/k8s");

  /** The kinds parsed with typed models. */
  static final Map<String, Class<?>> TYPED =
      Map.ofEntries(
          Map.entry("ConfigMap", ConfigMap.class),
          Map.entry("Secret", Secret.class),
          Map.entry("Service", Service.class),
          Map.entry("Deployment", Deployment.class),
          Map.entry("StatefulSet", StatefulSet.class),
          Map.entry("PodDisruptionBudget", PodDisruptionBudget.class),
          Map.entry("NetworkPolicy", NetworkPolicy.class),
          Map.entry("Kafka", Kafka.class),
          Map.entry("KafkaNodePool", KafkaNodePool.class),
          Map.entry("KafkaTopic", KafkaTopic.class),
          Map.entry("KafkaUser", KafkaUser.class));

  /** Kinds without a typed model here, with the apiVersion they must have. */
  static final Map<String, String> STRUCTURAL =
      Map.of(
          "ScaledObject", "keda.sh/v1alpha1",
          "TriggerAuthentication", "keda.sh/v1alpha1",
          "PodMonitor", "monitoring.coreos.com/v1",
          "PrometheusRule", "monitoring.coreos.com/v1");

  /** Containers without HTTP probes, and why (docs/DEPLOY.md says the same). */
  static final Map<String, String> WITHOUT_PROBES = Map.of();

  /** Metrics the alerts and dashboard take from exporters other than expertflow's own. */
  static final Set<String> EXTERNAL_METRICS =
      Set.of(
          "kafka_consumergroup_lag", // Strimzi Kafka Exporter
          "kafka_topic_partition_current_offset", // Strimzi Kafka Exporter
          "kube_statefulset_status_replicas_ready", // kube-state-metrics
          "kube_deployment_status_replicas_ready");

  static final ObjectMapper YAML = new YAMLMapper();
  static final ObjectMapper JSON = new ObjectMapper();
  static final TopicCatalog PRODUCTION =
      TopicCatalog.builder().replicationFactor(TopicCatalog.DEFAULT_MAX_REPLICATION_FACTOR).build();

  @BeforeAll
  static void needsKubectl() {
    Assumptions.assumeTrue(
        onPath("kubectl"), "kubectl is not on PATH: the overlays of deploy/k8s are not checked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "dev"})
  void shouldParseEveryResourceAsItsKind(String overlay) throws Exception {
    List<JsonNode> docs = render(overlay);

    assertThat(docs).isNotEmpty();
    for (JsonNode doc : docs) {
      String kind = doc.path("kind").asText();
      String name = kind + "/" + doc.path("metadata").path("name").asText();
      assertThat(doc.path("metadata").path("namespace").asText())
          .as("%s has the overlay's namespace", name)
          .isEqualTo(overlay.equals("dev") ? "expertflow-dev" : "expertflow");
      if (TYPED.containsKey(kind)) {
        Object typed = YAML.treeToValue(doc, TYPED.get(kind));
        List<String> unknown = new ArrayList<>();
        unknownFields(typed, name, unknown, new IdentityHashMap<>());
        assertThat(unknown).as("fields the %s model does not know", kind).isEmpty();
      } else {
        assertThat(STRUCTURAL).as("a kind this test knows: %s", name).containsKey(kind);
        assertThat(doc.path("apiVersion").asText()).isEqualTo(STRUCTURAL.get(kind));
        assertThat(doc.path("spec").isObject()).as("%s has a spec", name).isTrue();
      }
    }
    assertThat(kinds(docs))
        .contains("Kafka", "KafkaNodePool", "KafkaTopic", "KafkaUser", "StatefulSet", "Deployment")
        .contains("PodDisruptionBudget", "NetworkPolicy", "PodMonitor", "PrometheusRule");
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "dev"})
  void shouldGiveEveryContainerResourcesProbesAndALockedDownSecurityContext(String overlay)
      throws Exception {
    List<JsonNode> docs = render(overlay);

    List<PodTemplateSpec> pods = podTemplates(docs);
    assertThat(pods).hasSize(4); // registry, streams, worker, updater
    for (PodTemplateSpec pod : pods) {
      PodSpec spec = pod.getSpec();
      assertThat(spec.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(spec.getSecurityContext().getRunAsUser()).isPositive();
      for (Container c : spec.getContainers()) {
        String name = c.getName();
        Map<String, Quantity> requests = c.getResources().getRequests();
        Map<String, Quantity> limits = c.getResources().getLimits();
        assertThat(requests).as("%s requests", name).containsKeys("cpu", "memory");
        assertThat(limits).as("%s limits", name).containsKeys("cpu", "memory");
        assertThat(limits.get("memory"))
            .as("%s memory limit = request", name)
            .isEqualTo(requests.get("memory"));
        assertThat(c.getImage()).as("%s image set by the overlay", name).contains("/", ":");
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        assertWritableMountsAreEmptyDirs(spec, c);
        if (WITHOUT_PROBES.containsKey(name)) {
          assertThat(c.getLivenessProbe()).isNull();
          assertThat(c.getPorts()).as("%s: %s", name, WITHOUT_PROBES.get(name)).isEmpty();
          continue;
        }
        for (Probe probe : List.of(c.getLivenessProbe(), c.getReadinessProbe())) {
          assertThat(probe).as("%s probes", name).isNotNull();
          String port = probe.getHttpGet().getPort().getStrVal();
          assertThat(c.getPorts())
              .as("%s probe port", name)
              .anyMatch(p -> port.equals(p.getName()));
        }
      }
    }
  }

  @Test
  void shouldProbeTheEndpointsTheServicesServe() throws Exception {
    List<JsonNode> docs = render("cpu");

    Container worker = container(docs, "expertflow-worker");
    assertThat(worker.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(worker.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(env(worker, WorkerKeys.HTTP_PORT))
        .isEqualTo(String.valueOf(worker.getPorts().get(0).getContainerPort()));
    Container streams = container(docs, "expertflow-streams");
    assertThat(streams.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(streams.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
    assertThat(env(streams, StreamsAppProperties.HTTP_PORT))
        .isEqualTo(String.valueOf(streams.getPorts().get(0).getContainerPort()));
  }

  @Test
  void shouldKeepWorkerAndStreamsIdentitiesStableAcrossRestarts() throws Exception {
    List<JsonNode> docs = render("cpu");

    StatefulSet worker = typed(docs, "StatefulSet", "expertflow-worker", StatefulSet.class);
    Container w = worker.getSpec().getTemplate().getSpec().getContainers().get(0);
    assertThat(env(w, WorkerKeys.WORKER_ID)).isEqualTo("$(POD_NAME)");
    assertThat(fieldRef(w, "POD_NAME")).isEqualTo("metadata.name");
    long drain = Duration.parse("PT" + env(w, WorkerKeys.DRAIN_TIMEOUT).toUpperCase()).toSeconds();
    assertThat(worker.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds())
        .as("grace period longer than a worker's drain")
        .isGreaterThan(drain);

    StatefulSet streams = typed(docs, "StatefulSet", "expertflow-streams", StatefulSet.class);
    Container s = streams.getSpec().getTemplate().getSpec().getContainers().get(0);
    Service headless = typed(docs, "Service", streams.getSpec().getServiceName(), Service.class);
    assertThat(headless.getSpec().getClusterIP()).isEqualTo("None");
    assertThat(env(s, StreamsAppProperties.HTTP_ADVERTISED_HOST))
        .isEqualTo("$(POD_NAME)." + headless.getMetadata().getName() + ".$(POD_NAMESPACE).svc");
    String state = env(s, StreamsAppProperties.STATE_DIR);
    assertThat(s.getVolumeMounts()).anyMatch(m -> m.getMountPath().equals(state));
  }

  @Test
  void shouldSetOnlySettingsTheServicesKnow() throws Exception {
    List<JsonNode> docs = render("gpu");
    Set<String> connection =
        Set.of("EXPERTFLOW_COMMAND_CONFIG", "EXPERTFLOW_BUNDLE"); // read by every command

    Map<String, Set<String>> known =
        Map.of(
            "expertflow-worker", envNames(WorkerKeys.TABLE.keys()),
            "expertflow-streams", envNames(StreamsAppProperties.TABLE.keys()),
            "expertflow-updater", envNames(UpdaterKeys.TABLE.keys()));
    ConfigMap shared = typed(docs, "ConfigMap", "expertflow-settings", ConfigMap.class);
    for (Map.Entry<String, Set<String>> app : known.entrySet()) {
      Container c = container(docs, app.getKey());
      Set<String> set = new LinkedHashSet<>(shared.getData().keySet());
      c.getEnv().forEach(e -> set.add(e.getName()));
      for (String name : set) {
        if (name.startsWith("EXPERTFLOW_") && !connection.contains(name)) {
          assertThat(app.getValue()).as("%s reads %s", app.getKey(), name).contains(name);
        }
      }
    }
  }

  @Test
  void shouldRequestAGpuAndTheCudaProviderOnlyInTheGpuOverlay() throws Exception {
    Container gpu = container(render("gpu"), "expertflow-worker");
    StatefulSet gpuSet =
        typed(render("gpu"), "StatefulSet", "expertflow-worker", StatefulSet.class);

    assertThat(gpu.getResources().getRequests()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(gpu.getResources().getLimits()).containsEntry("nvidia.com/gpu", new Quantity("1"));
    assertThat(env(gpu, WorkerKeys.ENGINE_PROVIDER)).isEqualTo("cuda");
    PodSpec spec = gpuSet.getSpec().getTemplate().getSpec();
    assertThat(spec.getNodeSelector()).containsKey("nvidia.com/gpu.present");
    assertThat(spec.getTolerations()).anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()));

    for (String overlay : List.of("cpu", "dev")) {
      Container cpu = container(render(overlay), "expertflow-worker");
      assertThat(cpu.getResources().getLimits()).doesNotContainKey("nvidia.com/gpu");
      assertThat(env(cpu, WorkerKeys.ENGINE_PROVIDER)).isEqualTo("cpu");
    }
  }

  @Test
  void shouldRunOneOfEverythingInDev() throws Exception {
    List<JsonNode> docs = render("dev");

    for (JsonNode d : docs) {
      if (Set.of("StatefulSet", "Deployment", "KafkaNodePool").contains(d.path("kind").asText())) {
        assertThat(d.path("spec").path("replicas").asInt())
            .as("%s replicas", d.path("metadata").path("name").asText())
            .isEqualTo(1);
      }
    }
    assertThat(kinds(docs)).doesNotContain("ScaledObject");
    KafkaNodePool pool = typed(docs, "KafkaNodePool", "broker", KafkaNodePool.class);
    assertThat(pool.getSpec().getRoles()).hasSize(2);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cpu", "gpu", "dev"})
  void shouldDeclareTheCatalogueTopics(String overlay) throws Exception {
    List<KafkaTopic> topics =
        render(overlay).stream()
            .filter(d -> d.path("kind").asText().equals("KafkaTopic"))
            .map(d -> YAML.convertValue(d, KafkaTopic.class))
            .toList();

    int replicas = overlay.equals("dev") ? 1 : 3;
    assertThat(topics).hasSameSizeAs(PRODUCTION.specs());
    for (TopicSpec spec : PRODUCTION.specs()) {
      KafkaTopic t =
          topics.stream()
              .filter(k -> k.getMetadata().getName().equals(spec.name()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no KafkaTopic " + spec.name()));
      assertThat(t.getSpec().getPartitions()).isEqualTo(spec.partitions());
      assertThat(t.getSpec().getReplicas()).isEqualTo(replicas);
      assertThat(t.getMetadata().getLabels()).containsEntry("strimzi.io/cluster", "expertflow");
    }
  }

  @Test
  void shouldGrantTheNamesTheCodeUses() throws Exception {
    List<JsonNode> docs = render("cpu");

    KafkaUser worker = typed(docs, "KafkaUser", "expertflow-worker", KafkaUser.class);
    assertThat(acl(worker, "group")).contains(WorkerConfig.DEFAULT_GROUP_ID);
    assertThat(acl(worker, "transactionalId")).contains("expertflow-worker-");
    assertThat(acl(worker, "topic"))
        .contains("expertflow.requests", "expertflow.responses", "expertflow.dead-letters");
    KafkaUser streams = typed(docs, "KafkaUser", "expertflow-streams", KafkaUser.class);
    String appPrefix = StreamsAppConfig.DEFAULT_APPLICATION_ID + "-";
    assertThat(acl(streams, "group")).containsExactly(appPrefix);
    assertThat(acl(streams, "transactionalId")).containsExactly(appPrefix);
    assertThat(acl(streams, "topic")).contains(appPrefix);
    KafkaUser updater = typed(docs, "KafkaUser", "expertflow-updater", KafkaUser.class);
    assertThat(acl(updater, "group")).isEmpty();
    assertThat(acl(updater, "transactionalId")).isEmpty();
    // every topic an ACL names literally is a catalogue topic
    Set<String> catalogue =
        PRODUCTION.specs().stream().map(TopicSpec::name).collect(Collectors.toSet());
    for (JsonNode d : docs) {
      if (d.path("kind").asText().equals("KafkaUser")) {
        for (JsonNode a : d.path("spec").path("authorization").path("acls")) {
          JsonNode r = a.path("resource");
          if (r.path("type").asText().equals("topic")
              && r.path("patternType").asText().equals("literal")) {
            assertThat(catalogue).contains(r.path("name").asText());
          }
        }
      }
    }
    // the scaler watches the workers' group on the requests topic
    JsonNode trigger = find(docs, "ScaledObject", "expertflow-worker").at("/spec/triggers/0");
    assertThat(trigger.at("/metadata/consumerGroup").asText())
        .isEqualTo(WorkerConfig.DEFAULT_GROUP_ID);
    assertThat(trigger.at("/metadata/topic").asText()).isEqualTo("expertflow.requests");
    assertThat(find(docs, "ScaledObject", "expertflow-worker").at("/spec/maxReplicaCount").asInt())
        .isLessThanOrEqualTo(
            PRODUCTION.specs().stream()
                .filter(s -> s.name().equals("expertflow.requests"))
                .findFirst()
                .orElseThrow()
                .partitions());
  }

  @Test
  void shouldAlertAndChartOnlyMetricsThatExist() throws Exception {
    List<JsonNode> docs = render("cpu");
    Set<String> exported = new java.util.HashSet<>(workerMetricNames());
    exported.addAll(updaterMetricNames());
    exported.addAll(streamsMetricNames());

    JsonNode rule = find(docs, "PrometheusRule", "expertflow");
    List<String> exprs = new ArrayList<>();
    rule.at("/spec/groups")
        .forEach(g -> g.path("rules").forEach(r -> exprs.add(r.path("expr").asText())));
    JsonNode dashboard =
        JSON.readTree(
            find(docs, "ConfigMap", "expertflow-grafana-dashboard")
                .at("/data/grafana-dashboard.json")
                .asText());
    dashboard
        .path("panels")
        .forEach(p -> p.path("targets").forEach(t -> exprs.add(t.path("expr").asText())));

    assertThat(exprs).hasSizeGreaterThan(10);
    for (String expr : exprs) {
      for (String metric : metricNames(expr)) {
        if (metric.startsWith("expertflow_")) {
          assertThat(exported).as("in %s", expr).contains(metric);
        } else {
          assertThat(EXTERNAL_METRICS).as("in %s", expr).contains(metric);
        }
      }
    }
  }

  @Test
  void shouldPassPromtoolWhereItIsInstalled() throws Exception {
    Assumptions.assumeTrue(onPath("promtool"), "promtool is not on PATH: rules not checked");
    JsonNode rule = find(render("cpu"), "PrometheusRule", "expertflow");
    Path file = Files.createTempFile("expertflow-rules", ".yaml");
    try {
      YAML.writeValue(file.toFile(), rule.path("spec"));
      Process p =
          new ProcessBuilder("promtool", "check", "rules", file.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(out).isZero();
    } finally {
      Files.deleteIfExists(file);
    }
  }

  /** The Prometheus names of every meter the worker registers, each one exercised. */
  static Set<String> workerMetricNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    WorkerMetrics metrics = new WorkerMetrics(registry);
    metrics.inFlightGauge(() -> 1);
    metrics.followingGauge(() -> true);
    metrics.polled(1);
    metrics.answered(ResponseStatus.OK, 10);
    metrics.deadLettered(DeadLetterReason.values()[0]);
    metrics.committed(1, 1_000);
    metrics.paused(1);
    metrics.aborted(new RuntimeException("test"));
    metrics.batch(4, 100, 80, Duration.ofMillis(2), 1_000_000);
    metrics.bisected(1);
    metrics.expertChosen(3);
    return registry
        .scrape()
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toSet());
  }

  /** The Prometheus names of every meter the updater registers (all exist before any update). */
  static Set<String> updaterMetricNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new io.expertflow.updater.UpdaterMetrics(registry);
    return registry
        .scrape()
        .lines()
        .filter(l -> !l.startsWith("#") && !l.isBlank())
        .map(l -> l.split("[{ ]", 2)[0])
        .collect(Collectors.toSet());
  }

  /** The Prometheus names of the streams app's own meters, each one exercised. */
  static Set<String> streamsMetricNames() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    io.micrometer.core.instrument.Metrics.addRegistry(registry);
    try {
      io.expertflow.streams.StreamsMeters.topologyRunning(registry, "intake", () -> true);
      io.expertflow.streams.StreamsMeters.deadLetter(
          "intake", io.expertflow.avro.DeadLetterReason.values()[0]);
      io.expertflow.streams.StreamsMeters.decision("APPROVED");
      io.expertflow.streams.StreamsMeters.feedbackAttributed(2);
      io.expertflow.streams.StreamsMeters.httpExchange("/v1/requests/", 200, 1_000_000);
      return registry
          .scrape()
          .lines()
          .filter(l -> !l.startsWith("#") && !l.isBlank())
          .map(l -> l.split("[{ ]", 2)[0])
          .collect(Collectors.toSet());
    } finally {
      io.micrometer.core.instrument.Metrics.removeRegistry(registry);
    }
  }

  static final Pattern METRIC = Pattern.compile("\\b([a-z_][a-z0-9_]*)\\s*(\\{|\\[)");
  static final Set<String> FUNCTIONS =
      Set.of("rate", "sum", "deriv", "histogram_quantile", "absent", "max", "min", "topk", "by");

  /** Metric names in a PromQL expression: identifiers followed by a selector or a range. */
  static Set<String> metricNames(String expr) {
    Set<String> names = new LinkedHashSet<>();
    Matcher m = METRIC.matcher(expr);
    while (m.find()) {
      if (!FUNCTIONS.contains(m.group(1))) {
        names.add(m.group(1));
      }
    }
    Matcher bare = Pattern.compile("\\b(expertflow_[a-z0-9_]+)").matcher(expr);
    while (bare.find()) {
      names.add(bare.group(1));
    }
    return names;
  }

  private static void assertWritableMountsAreEmptyDirs(PodSpec spec, Container c) {
    for (VolumeMount m : c.getVolumeMounts()) {
      var volume =
          spec.getVolumes().stream()
              .filter(v -> v.getName().equals(m.getName()))
              .findFirst()
              .orElseThrow();
      if (!Boolean.TRUE.equals(m.getReadOnly())) {
        assertThat(volume.getEmptyDir())
            .as("%s: writable mount %s is an emptyDir", c.getName(), m.getMountPath())
            .isNotNull();
      }
    }
  }

  private static List<String> acl(KafkaUser user, String type) throws IOException {
    JsonNode spec = YAML.valueToTree(user.getSpec());
    List<String> names = new ArrayList<>();
    spec.at("/authorization/acls")
        .forEach(
            a -> {
              if (a.at("/resource/type").asText().equals(type)) {
                names.add(a.at("/resource/name").asText());
              }
            });
    return names;
  }

  private static String env(Container c, SettingKey<?> key) {
    return env(c, key.envName());
  }

  private static String env(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " has no " + name))
        .getValue();
  }

  private static String fieldRef(Container c, String name) {
    return c.getEnv().stream()
        .filter(e -> e.getName().equals(name))
        .findFirst()
        .orElseThrow()
        .getValueFrom()
        .getFieldRef()
        .getFieldPath();
  }

  private static Set<String> envNames(List<SettingKey<?>> keys) {
    return keys.stream().map(SettingKey::envName).collect(Collectors.toSet());
  }

  private static Container container(List<JsonNode> docs, String workload) {
    return podTemplates(docs).stream()
        .filter(p -> workload.equals(p.getMetadata().getLabels().get("app.kubernetes.io/name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no workload " + workload))
        .getSpec()
        .getContainers()
        .get(0);
  }

  private static List<PodTemplateSpec> podTemplates(List<JsonNode> docs) {
    List<PodTemplateSpec> pods = new ArrayList<>();
    for (JsonNode d : docs) {
      switch (d.path("kind").asText()) {
        case "StatefulSet" ->
            pods.add(YAML.convertValue(d, StatefulSet.class).getSpec().getTemplate());
        case "Deployment" ->
            pods.add(YAML.convertValue(d, Deployment.class).getSpec().getTemplate());
        default -> {}
      }
    }
    return pods;
  }

  private static <T> T typed(List<JsonNode> docs, String kind, String name, Class<T> type) {
    return YAML.convertValue(find(docs, kind, name), type);
  }

  private static JsonNode find(List<JsonNode> docs, String kind, String name) {
    return docs.stream()
        .filter(d -> d.path("kind").asText().equals(kind))
        .filter(d -> d.path("metadata").path("name").asText().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + "/" + name));
  }

  private static Set<String> kinds(List<JsonNode> docs) {
    return docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.toSet());
  }

  /**
   * Collects, below {@code o}, every field the typed model kept as an additional property: a field
   * it does not know, such as a misspelt or misplaced key.
   */
  private static void unknownFields(
      Object o, String path, List<String> found, IdentityHashMap<Object, Boolean> seen) {
    if (o == null || seen.put(o, true) != null) {
      return;
    }
    if (o instanceof Map<?, ?> map) {
      map.forEach((k, v) -> unknownFields(v, path + "." + k, found, seen));
      return;
    }
    if (o instanceof Collection<?> list) {
      int i = 0;
      for (Object item : list) {
        unknownFields(item, path + "[" + i++ + "]", found, seen);
      }
      return;
    }
    String pkg = o.getClass().getPackageName();
    if (!pkg.startsWith("io.fabric8") && !pkg.startsWith("io.strimzi")) {
      return;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0
          || !m.getName().startsWith("get")
          || m.getDeclaringClass() == Object.class) {
        continue;
      }
      Object value;
      try {
        value = m.invoke(o);
      } catch (ReflectiveOperationException | RuntimeException e) {
        continue;
      }
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> extra && !extra.isEmpty()) {
          found.add(path + ": " + extra.keySet());
        }
      } else {
        unknownFields(value, path + "." + m.getName().substring(3), found, seen);
      }
    }
  }

  private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
    Path dir = K8S.resolve("overlays").resolve(overlay);
    Process kustomize =
        new ProcessBuilder("kubectl", "kustomize", dir.toString())
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String built = new String(kustomize.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(kustomize.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(kustomize.exitValue()).as("kubectl kustomize %s", dir).isZero();
    List<JsonNode> docs = new ArrayList<>();
    try (MappingIterator<JsonNode> it = YAML.readerFor(JsonNode.class).readValues(built)) {
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
        && Arrays.stream(path.split(File.pathSeparator))
            .anyMatch(d -> Files.isExecutable(Path.of(d, program)));
  }
}
