package io.expertflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.cli.Expertflow;
import io.expertflow.local.KafkaUserAcls;
import io.expertflow.local.LocalKafkaBroker;
import io.expertflow.local.LocalKafkaBrokerConfig;
import io.expertflow.local.LocalKafkaSasl;
import io.expertflow.local.LocalSchemaRegistry;
import io.expertflow.local.LocalSchemaRegistryConfig;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.access.KafkaAccessDenied;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.schemas.topics.TopicProvisioner;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pipeline on a Kafka broker that authenticates every client with SASL/SCRAM and authorizes it
 * with the ACLs of {@code deploy/k8s/base/kafka-users.yaml}, each component logged in as its own
 * KafkaUser, and a schema registry that demands basic auth (behind {@link BasicAuthRegistryRelay}).
 * A document submitted as {@code expertflow-client} passes the streams app's intake and a worker
 * and comes back to {@code expertflow-status-reader}; a client without the Read ACL is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SaslPipelineIT {

  private static final Path MANIFESTS = Path.of("..", "deploy", "k8s", "base", "kafka-users.yaml");
  private static final String STRANGER = "expertflow-stranger";
  private static final String REGISTRY_USER = "registry-user";
  private static final String REGISTRY_PASSWORD = "registry-secret";
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(90);

  @TempDir Path dir;

  private LocalKafkaSasl sasl;
  private LocalKafkaBroker broker;
  private LocalSchemaRegistry registry;
  private BasicAuthRegistryRelay relay;
  private final List<Process> children = new ArrayList<>();

  @BeforeAll
  void startTheSecuredStack() throws Exception {
    KafkaUserAcls acls = KafkaUserAcls.load(MANIFESTS);
    Map<String, String> users = new LinkedHashMap<>();
    for (String user : acls.users()) {
      users.put(user, user + "-secret");
    }
    users.put(STRANGER, "stranger-secret");
    sasl = LocalKafkaSasl.of("admin", "admin-secret", users);
    CompletableFuture<LocalSchemaRegistry> registryStart =
        CompletableFuture.supplyAsync(
            () -> LocalSchemaRegistry.start(LocalSchemaRegistryConfig.builder().build()));
    broker = LocalKafkaBroker.start(LocalKafkaBrokerConfig.builder().sasl(sasl).build());
    registry = registryStart.get(3, TimeUnit.MINUTES);
    relay = new BasicAuthRegistryRelay(registry.url(), REGISTRY_USER, REGISTRY_PASSWORD);
    try (Admin admin = Admin.create(clientProperties("admin"))) {
      new TopicProvisioner(admin).provision(TopicCatalog.builder().build());
      admin.createAcls(acls.all()).all().get(30, TimeUnit.SECONDS);
    }
  }

  @AfterAll
  void stop() {
    children.forEach(Process::destroy);
    for (Process child : children) {
      try {
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (relay != null) {
      relay.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void shouldAnswerADocumentWithEachComponentHoldingOnlyItsOwnAcls() throws Exception {
    children.add(
        expertflow(
            "streams",
            "streams",
            "--command-config",
            commandConfig("expertflow-streams").toString(),
            "--topologies",
            "intake",
            "--state-dir",
            dir.resolve("streams-state").toString(),
            "--no-http"));
    Path bundle = ModelBundles.tiny(dir.resolve("bundle"), List.of("a", "b", "c")).dir();
    children.add(
        expertflow(
            "worker",
            "worker",
            "--command-config",
            commandConfig("expertflow-worker").toString(),
            "--bundle",
            bundle.toString(),
            "--worker-id",
            "sasl-1",
            "--engine",
            "cpu"));
    Path document = Files.writeString(dir.resolve("contract.md"), "A short contract to classify.");

    Cli submit =
        Cli.run(
            "submit",
            document.toString(),
            "--command-config",
            commandConfig("expertflow-client").toString(),
            "-b",
            broker.bootstrapServers(),
            "-r",
            relay.url());

    assertThat(submit.code()).as(submit.err()).isZero();
    assertThat(submit.out()).contains("submitted 1 request(s)");
    InferenceResponse answer = firstResponseAs("expertflow-status-reader");
    assertThat(answer.getDocumentId().toString()).isEqualTo("contract.md");
    assertThat(answer.getLabels()).isNotEmpty();
    // every registry call of every component carried the credentials of the security file
    assertThat(relay.relayed()).isPositive();
    assertThat(relay.refused()).isZero();
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(relay.url() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(anonymous.statusCode()).isEqualTo(401);
  }

  @Test
  void shouldRefuseAReadWithoutTheReadAclAndNameTheMissingPermission() {
    // the client user may write requests, not read responses: the read must fail, never return
    Map<String, Object> props = new HashMap<>(clientProperties("expertflow-client"));
    props.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000);
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = List.of(new TopicPartition("expertflow.responses", 0));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Throwable refusal = null;
      while (refusal == null && System.nanoTime() < deadline) {
        try {
          var records = consumer.poll(Duration.ofMillis(500));
          if (!records.isEmpty()) {
            fail("expertflow-client read " + records.count() + " record(s) of responses");
          }
        } catch (TopicAuthorizationException e) {
          refusal = e;
        }
      }
      assertThat(refusal).as("the brokers refused the read").isNotNull();
      assertThat(KafkaAccessDenied.of(refusal, KafkaAccessDenied.READ).orElseThrow().getMessage())
          .startsWith("not authorised to Read topic expertflow.responses");
    }

    Cli tail =
        Cli.run(
            "tail",
            "responses",
            "--command-config",
            commandConfig("expertflow-client").toString(),
            "-b",
            broker.bootstrapServers(),
            "-r",
            relay.url());

    assertThat(tail.code()).isEqualTo(1);
    assertThat(tail.out()).isEmpty();
    assertThat(tail.err()).contains("error: not authorised to Read topic expertflow.responses");
  }

  @Test
  void shouldRefuseAUserWithoutAclsEverything() {
    Map<String, Object> props = new HashMap<>(clientProperties(STRANGER));
    props.put("max.block.ms", 15_000);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      assertThatThrownBy(
              () ->
                  producer
                      .send(new ProducerRecord<>("expertflow.requests.inbound", "k", new byte[1]))
                      .get(20, TimeUnit.SECONDS))
          .satisfies(
              e ->
                  assertThat(
                          KafkaAccessDenied.of(e, KafkaAccessDenied.WRITE)
                              .orElseThrow()
                              .getMessage())
                      .startsWith("not authorised to Write topic expertflow.requests.inbound"));
    }
  }

  /** The first response on {@code responses}, read (no group) as {@code user}. */
  private InferenceResponse firstResponseAs(String user) {
    Map<String, Object> props = new HashMap<>(clientProperties(user));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (SchemaRegistryClient registryClient =
            new HttpSchemaRegistryClient(
                SchemaRegistryConfig.builder()
                    .url(relay.url())
                    .basicAuth(REGISTRY_USER + ":" + REGISTRY_PASSWORD)
                    .build());
        KafkaConsumer<String, InferenceResponse> consumer =
            new KafkaConsumer<>(
                props,
                new StringDeserializer(),
                new AvroDeserializer<>(registryClient, InferenceResponse.class))) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("expertflow.responses").stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      long deadline = System.nanoTime() + ANSWER_DEADLINE.toNanos();
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<String, InferenceResponse> r : consumer.poll(Duration.ofMillis(500))) {
          return r.value();
        }
        children.forEach(
            child -> assertThat(child.isAlive()).as("a pipeline process ended early").isTrue());
      }
    }
    throw new AssertionError(
        "no response within " + ANSWER_DEADLINE.toSeconds() + " s; see the logs in " + dir);
  }

  private Map<String, Object> clientProperties(String user) {
    Map<String, Object> props = new HashMap<>(sasl.clientProperties(user));
    props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return props;
  }

  /** A {@code --command-config} file: the user's SASL login and the registry's credentials. */
  private Path commandConfig(String user) {
    Path file = dir.resolve(user + ".properties");
    Properties properties = new Properties();
    properties.putAll(sasl.clientProperties(user));
    properties.put(
        SchemaRegistryConfig.BASIC_AUTH_USER_INFO, REGISTRY_USER + ":" + REGISTRY_PASSWORD);
    try (OutputStream out = Files.newOutputStream(file)) {
      properties.store(out, null);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }

  /** {@code expertflow args...} as a child JVM on this class path, its output in NAME.log. */
  private Process expertflow(String name, String... args) throws IOException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m",
                "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1",
                "-cp",
                System.getProperty("java.class.path"),
                Expertflow.class.getName()));
    command.addAll(List.of(args));
    command.addAll(List.of("-b", broker.bootstrapServers(), "-r", relay.url()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("EXPERTFLOW_"));
    return builder.start();
  }

  /** One {@code expertflow} command in this JVM with its output and error text. */
  private record Cli(int code, String out, String err) {
    static Cli run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      var cli = Expertflow.commandLine();
      cli.setOut(new PrintWriter(out));
      cli.setErr(new PrintWriter(err));
      int code = cli.execute(args);
      return new Cli(code, out.toString(), err.toString());
    }
  }
}
