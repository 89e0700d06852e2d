package io.expertflow.cli.commands;

import io.expertflow.avro.AuditRecord;
import io.expertflow.operators.audit.AuditProblem;
import io.expertflow.operators.audit.AuditPublicKeys;
import io.expertflow.operators.audit.AuditReport;
import io.expertflow.operators.audit.AuditSigningKey;
import io.expertflow.operators.audit.AuditVerifier;
import io.expertflow.operators.audit.Ed25519Keys;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.serde.AvroDeserializer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code expertflow audit}: signing keys for audit records, and verification of the audit topic.
 */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    description = {
      "Make an Ed25519 key pair for signing audit records, or verify the signed audit topic.",
      "",
      "Examples:",
      "  expertflow audit keygen --out keys/",
      "  expertflow audit verify --public-key keys/audit-signing-key.pub.pem",
      "  expertflow audit verify --public-key old.pub.pem --public-key new.pub.pem --partition 2"
          + " --from 2026-03-01T00:00:00Z"
    },
    subcommands = {AuditCommand.Keygen.class, AuditCommand.Verify.class})
public final class AuditCommand implements Callable<Integer> {
  /** The private key's file name in the folder keygen writes. */
  public static final String PRIVATE_FILE = "audit-signing-key.pem";

  /** The public key's file name in the folder keygen writes. */
  public static final String PUBLIC_FILE = "audit-signing-key.pub.pem";

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return 2;
  }

  /**
   * Writes a new key pair into {@code dir} (created if needed; existing key files are never
   * overwritten) and returns its signing key. The private key file is readable by its owner only
   * where the file system has POSIX permissions.
   */
  public static AuditSigningKey writeKeyPair(Path dir) throws IOException {
    Path privateFile = dir.resolve(PRIVATE_FILE);
    Path publicFile = dir.resolve(PUBLIC_FILE);
    for (Path f : List.of(privateFile, publicFile)) {
      if (Files.exists(f)) {
        throw new FileAlreadyExistsException(
            f.toString(), null, "a key is already there; remove it or choose another --out");
      }
    }
    Files.createDirectories(dir);
    AuditSigningKey key = Ed25519Keys.generateSigningKey();
    Files.createFile(privateFile);
    try {
      Files.setPosixFilePermissions(privateFile, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the folder's own protection applies
    }
    Files.writeString(privateFile, Ed25519Keys.privatePem(key.privateKey()));
    Files.writeString(publicFile, Ed25519Keys.publicPem(key.publicKey()));
    return key;
  }

  /** {@code audit keygen}. */
  @Command(
      name = "keygen",
      mixinStandardHelpOptions = true,
      description =
          "Write a new Ed25519 key pair: DIR/"
              + PRIVATE_FILE
              + " (PKCS#8 PEM, for the streams app's audit.signing.key.file) and DIR/"
              + PUBLIC_FILE
              + " (X.509 PEM, for 'audit verify --public-key'); print the key id.")
  static final class Keygen implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder to write.")
    Path out;

    @Override
    public Integer call() throws IOException {
      AuditSigningKey key = writeKeyPair(out);
      PrintWriter w = spec.commandLine().getOut();
      w.printf(
          "key id %s%n  private key: %s (keep it secret)%n  public key:  %s%n"
              + "sign with: expertflow streams --set audit.signing.key.file=%s%n",
          key.keyId(),
          out.resolve(PRIVATE_FILE),
          out.resolve(PUBLIC_FILE),
          out.resolve(PRIVATE_FILE));
      w.flush();
      return 0;
    }
  }

  /** {@code audit verify}. */
  @Command(
      name = "verify",
      mixinStandardHelpOptions = true,
      description = {
        "Read the audit topic (committed records only) and check every record's signature and"
            + " each chain: a sequence gap means removed records, a sequence going back means"
            + " reordered ones, a bad signature or a previous digest that does not match means an"
            + " altered record. Each bad record is named (partition@offset, request id, what is"
            + " wrong); the last line sums up. Exit code 0 when all is well, 1 when not."
      })
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(
        names = "--public-key",
        paramLabel = "FILE",
        description =
            "Public key (X.509 PEM or raw 32 bytes); repeat it for every key id in the range,"
                + " e.g. across a key rotation (default: the dev key of 'expertflow up' run here).")
    List<Path> publicKeys = new ArrayList<>();

    @Option(
        names = "--partition",
        paramLabel = "N",
        description = "Only this audit partition (repeatable; default: all).")
    List<Integer> partitions = new ArrayList<>();

    @Option(
        names = "--from",
        paramLabel = "OFFSET|TIME",
        description = "Start at this offset or ISO-8601 time (default: each partition's start).")
    String from;

    @Option(
        names = "--to",
        paramLabel = "OFFSET|TIME",
        description = "Stop before this offset or time (default: the end when reading started).")
    String to;

    @Option(
        names = "--topic",
        defaultValue = "audit",
        description = "Audit topic, logical or full name (default: ${DEFAULT-VALUE}).")
    String topic;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      AuditRange start = from == null ? null : AuditRange.parse("--from", from);
      AuditRange end = to == null ? null : AuditRange.parse("--to", to);
      AuditPublicKeys keys =
          AuditPublicKeys.of(keyFiles().stream().map(Ed25519Keys::readPublic).toList());
      String fullTopic = connection.topic(topic);
      Map<String, Object> props = connection.kafkaProperties();
      props.put(ConsumerConfig.GROUP_ID_CONFIG, "expertflow-audit-verify-" + UUID.randomUUID());
      props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
      props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      AuditVerifier verifier = new AuditVerifier(keys);
      try (SchemaRegistryClient registry = connection.registryClient();
          KafkaConsumer<String, byte[]> consumer =
              new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
        List<TopicPartition> tps = partitions(consumer, fullTopic);
        new AuditTopicReader(
                consumer,
                new AvroDeserializer<>(registry, AuditRecord.class),
                Duration.ofSeconds(30))
            .read(tps, start, end, verifier);
      }
      AuditReport report = verifier.finish();
      for (AuditProblem problem : report.problems()) {
        out.println("problem: " + problem.line());
      }
      out.println(fullTopic + ": " + report.summary());
      out.flush();
      return report.clean() ? 0 : 1;
    }

    private List<Path> keyFiles() {
      if (!publicKeys.isEmpty()) {
        return publicKeys;
      }
      return DevAuditKey.fromStack()
          .map(f -> List.of(DevAuditKey.publicOf(f)))
          .orElseThrow(
              () ->
                  new IllegalArgumentException(
                      "give the public key of the signing key with --public-key FILE (the"
                          + " .pub.pem that 'expertflow audit keygen' wrote)"));
    }

    private List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String fullTopic) {
      List<PartitionInfo> infos = consumer.partitionsFor(fullTopic, Duration.ofSeconds(10));
      if (infos == null || infos.isEmpty()) {
        throw new IllegalArgumentException(
            "no topic " + fullTopic + " (is the stack up and the --topic-prefix right?)");
      }
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo info : infos) {
        if (partitions.isEmpty() || partitions.contains(info.partition())) {
          tps.add(new TopicPartition(fullTopic, info.partition()));
        }
      }
      for (int p : partitions) {
        if (p < 0 || p >= infos.size()) {
          throw new IllegalArgumentException(
              "--partition " + p + ": " + fullTopic + " has partitions 0.." + (infos.size() - 1));
        }
      }
      tps.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
      return tps;
    }
  }
}
