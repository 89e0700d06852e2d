package io.expertflow.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.expertflow.avro.InferenceResponse;
import io.expertflow.cli.Expertflow;
import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.access.KafkaAccessDenied;
import io.expertflow.schemas.registry.HttpSchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.registry.SchemaRegistryConfig;
import io.expertflow.schemas.serde.AvroDeserializer;
import io.expertflow.security.SecuredStack.Auth;
import java.io.IOException;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The pipeline on a Kafka broker that authenticates every client, on one listener with SASL/SCRAM
 * and on another with mutual TLS (a client certificate signed by the broker's authority, {@code
 * CN=user} mapped to {@code User:user}), and authorizes it with the ACLs of {@code
 * deploy/k8s/base/kafka-users.yaml}, each component as its own KafkaUser, and a schema registry
 * that demands basic auth (behind {@link BasicAuthRegistryRelay}). With either, a document
 * submitted as {@code expertflow-client} passes the streams app's intake and a worker and comes
 * back to {@code expertflow-status-reader}; a client without the Read ACL is refused.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SecuredPipelineIT {

  private static final String STRANGER = "expertflow-stranger";
  private static final Duration ANSWER_DEADLINE = Duration.ofSeconds(90);

  @TempDir static Path dir;

  private SecuredStack stack;

  @BeforeAll
  void startTheSecuredStack() throws Exception {
    stack = SecuredStack.start(dir, STRANGER);
  }

  @AfterAll
  void stop() {
    if (stack != null) {
      stack.close();
    }
  }

  /** Stops the pipeline's processes (leaving their groups), and kills any that does not stop. */
  private static void stopAll(List<Process> processes) {
    processes.forEach(Process::destroy);
    for (Process child : processes) {
      try {
        if (!child.waitFor(20, TimeUnit.SECONDS)) {
          child.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void shouldAnswerADocumentWithEachComponentHoldingOnlyItsOwnAcls(Auth auth) throws Exception {
    String mode = auth.name().toLowerCase(Locale.ROOT);
    List<Process> pipeline = new ArrayList<>();
    int relayedBefore = stack.relay().relayed();
    int refusedBefore = stack.relay().refused();
    try {
      pipeline.add(
          expertflow(
              auth,
              "streams-" + mode,
              "streams",
              "--command-config",
              stack.commandConfig(dir, auth, "expertflow-streams").toString(),
              "--topologies",
              "intake",
              "--state-dir",
              dir.resolve("streams-state-" + mode).toString(),
              "--no-http"));
      Path bundle = ModelBundles.tiny(dir.resolve("bundle-" + mode), List.of("a", "b", "c")).dir();
      pipeline.add(
          expertflow(
              auth,
              "worker-" + mode,
              "worker",
              "--command-config",
              stack.commandConfig(dir, auth, "expertflow-worker").toString(),
              "--bundle",
              bundle.toString(),
              "--worker-id",
              mode + "-1",
              "--engine",
              "cpu"));
      String name = "contract-" + mode + ".md";
      Path document = Files.writeString(dir.resolve(name), "A short contract to classify.");

      Cli submit = cliAs(auth, "expertflow-client", "submit", document.toString());

      assertThat(submit.code()).as(submit.err()).isZero();
      assertThat(submit.out()).contains("submitted 1 request(s)");
      InferenceResponse answer = responseAs(auth, "expertflow-status-reader", name, pipeline);
      assertThat(answer.getLabels()).isNotEmpty();
      // every registry call of every component carried the credentials of the security file
      assertThat(stack.relay().relayed()).isGreaterThan(relayedBefore);
      assertThat(stack.relay().refused()).isEqualTo(refusedBefore);
      HttpResponse<String> anonymous =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(stack.relay().url() + "/subjects")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(anonymous.statusCode()).isEqualTo(401);
      assertThat(stack.relay().refused()).isEqualTo(refusedBefore + 1);
    } finally {
      stopAll(pipeline);
    }
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void shouldRefuseAReadWithoutTheReadAclAndNameTheMissingPermission(Auth auth) {
    // the client user may write requests, not read responses: the read must fail, never return
    Map<String, Object> props = new HashMap<>(stack.clientProperties(auth, "expertflow-client"));
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

    Cli tail = cliAs(auth, "expertflow-client", "tail", "responses");

    assertThat(tail.code()).isEqualTo(1);
    assertThat(tail.out()).isEmpty();
    assertThat(tail.err()).contains("error: not authorised to Read topic expertflow.responses");
  }

  @ParameterizedTest
  @EnumSource(Auth.class)
  void shouldRefuseAUserWithoutAclsEverything(Auth auth) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties(auth, STRANGER));
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

  /**
   * The response to the document {@code documentId} on {@code responses}, read (no group) as {@code
   * user}; fails if a process of {@code pipeline} ends meanwhile.
   */
  private InferenceResponse responseAs(
      Auth auth, String user, String documentId, List<Process> pipeline) {
    Map<String, Object> props = new HashMap<>(stack.clientProperties(auth, user));
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    try (SchemaRegistryClient registryClient =
            new HttpSchemaRegistryClient(
                SchemaRegistryConfig.builder()
                    .url(stack.relay().url())
                    .basicAuth(SecuredStack.REGISTRY_USER_INFO)
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
          if (r.value().getDocumentId().toString().equals(documentId)) {
            return r.value();
          }
        }
        pipeline.forEach(
            child -> assertThat(child.isAlive()).as("a pipeline process ended early").isTrue());
      }
    }
    throw new AssertionError(
        "no response within " + ANSWER_DEADLINE.toSeconds() + " s; see the logs in " + dir);
  }

  /** {@code expertflow args...} as a child JVM on this class path, its output in NAME.log. */
  private Process expertflow(Auth auth, String name, String... args) throws IOException {
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
    command.addAll(List.of("-b", stack.bootstrapServers(auth), "-r", stack.relay().url()));
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve(name + ".log").toFile());
    builder.environment().keySet().removeIf(k -> k.startsWith("EXPERTFLOW_"));
    return builder.start();
  }

  /** {@code expertflow args...} in this JVM as {@code user}, against the broker and the relay. */
  private Cli cliAs(Auth auth, String user, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(
        List.of(
            "--command-config",
            stack.commandConfig(dir, auth, user).toString(),
            "-b",
            stack.bootstrapServers(auth),
            "-r",
            stack.relay().url()));
    return Cli.run(all.toArray(String[]::new));
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
