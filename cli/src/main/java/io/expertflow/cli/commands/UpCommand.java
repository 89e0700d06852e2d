package io.expertflow.cli.commands;

import io.expertflow.cli.FileTrees;
import io.expertflow.local.FreePorts;
import io.expertflow.local.KafkaUserAcls;
import io.expertflow.local.LocalKafkaSasl;
import io.expertflow.schemas.topics.ProvisioningResult;
import io.expertflow.schemas.topics.TopicCatalog;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code expertflow up}: the embedded broker and registry with the pipeline's topics. */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start an embedded Kafka broker (KRaft) and a schema registry on this machine, create the"
          + " pipeline's topics, print where they listen, and run until Ctrl-C.",
      "Other commands started in this folder find them through "
          + ConnectionOptions.STACK_FILE
          + ".",
      "With --brokers 3: three KRaft nodes (broker and controller each), topics with 3 replicas"
          + " and min.insync.replicas 2; 'expertflow broker kill|stop|start|restart --node N'"
          + " faults or restores a node.",
      "",
      "Example:",
      "  expertflow up &   expertflow submit docs/ && expertflow tail requests.inbound --max 5",
      "  expertflow up --brokers 3 &   expertflow broker kill --node 2; expertflow broker start"
          + " --node 2"
    })
public final class UpCommand implements Callable<Integer> {
  /** The streams app's state folder under {@code --data-dir}. */
  static final String STREAMS_STATE_DIR = "streams-state";

  @Spec CommandSpec spec;

  @Option(
      names = "--kafka-port",
      defaultValue = "9092",
      description =
          "Kafka port (of node 1 with --brokers); 0 for free ones (default: ${DEFAULT-VALUE}).")
  int kafkaPort;

  @Option(
      names = "--brokers",
      defaultValue = "1",
      paramLabel = "N",
      description =
          "Kafka nodes (default: ${DEFAULT-VALUE}). More than one: a KRaft cluster on ports"
              + " --kafka-port, +1, +2, ... with min(3, N) replicas per topic and min ISR one"
              + " lower.")
  int brokers;

  @Option(
      names = "--registry-port",
      defaultValue = "8081",
      description = "Registry port; 0 for a free one (default: ${DEFAULT-VALUE}).")
  int registryPort;

  @Option(
      names = "--data-dir",
      paramLabel = "DIR",
      description =
          "Keep broker data and logs here, and the state of 'expertflow streams' run against this"
              + " stack (default: temporary folders, removed when it stops).")
  Path dataDir;

  @Option(
      names = "--topic-prefix",
      defaultValue = ConnectionOptions.DEFAULT_PREFIX,
      description = "Topic prefix (default: ${DEFAULT-VALUE}).")
  String prefix;

  @Option(
      names = "--sasl",
      description =
          "Authenticate every client (SASL_PLAINTEXT, SCRAM-SHA-512 or PLAIN) and authorise it"
              + " with ACLs: a super user '"
              + LocalSaslUsers.SUPER_USER
              + "' and one user per KafkaUser of deploy/k8s/base/kafka-users.yaml with that"
              + " manifest's ACLs, each with a random password and a client file in "
              + USERS_DIR
              + " for --command-config; commands started here use the super user's. One node"
              + " only.")
  boolean sasl;

  /** Where {@code --sasl} writes each user's client file. */
  static final String USERS_DIR = ".expertflow/users";

  /** The name of a stack's temporary streams state folder, beside the stack file, starts so. */
  static final String STACK_STREAMS_PREFIX = "stack-streams-";

  /** How long a stack named by the stack file has to answer to count as running. */
  private static final int PROBE_MILLIS = 500;

  /** The stack file other commands started in this folder read. */
  Path stackFile = Path.of(ConnectionOptions.STACK_FILE);

  /** The bootstrap servers of the stack this command runs, once it has written the stack file. */
  private volatile String ours;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    LocalKafkaSasl users = null;
    KafkaUserAcls acls = null;
    if (sasl) {
      Path manifests =
          Path.of(System.getProperty("expertflow.home", ".")).resolve(LocalSaslUsers.MANIFESTS);
      if (!Files.isRegularFile(manifests)) {
        spec.commandLine()
            .getErr()
            .println(
                "up: --sasl takes its users and ACLs from " + manifests + ", which is missing");
        return 2;
      }
      acls = KafkaUserAcls.load(manifests, prefix);
      users =
          LocalSaslUsers.users(
              acls, dataDir == null ? null : dataDir.resolve(LocalSaslUsers.PASSWORDS_FILE));
    }
    String running = runningStack(stackFile);
    if (running != null) {
      throw new IllegalStateException(
          "a local stack already runs from this folder (Kafka at "
              + running
              + ", "
              + stackFile
              + "): use it, or stop it (Ctrl-C where 'expertflow up' runs) before starting"
              + " another");
    }
    removeStaleStreamsState(stackFile.toAbsolutePath().getParent());
    long start = System.nanoTime();
    out.println(
        brokers == 1
            ? "starting Kafka and the schema registry..."
            : "starting " + brokers + " Kafka nodes and the schema registry...");
    out.flush();
    // the streams app's state lives with this stack: kept with --data-dir, else removed at the
    // end; beside the stack file rather than in the system's temporary folder, of which Kafka
    // Streams warns once per topology at every start (a temporary folder may be cleared under it)
    Path streamsState =
        dataDir != null
            ? dataDir.resolve(STREAMS_STATE_DIR)
            : Files.createTempDirectory(
                Files.createDirectories(stackFile.toAbsolutePath().getParent()),
                STACK_STREAMS_PREFIX);
    CountDownLatch stop = new CountDownLatch(1);
    try (LocalInfrastructure infra =
        LocalInfrastructure.start(kafkaPort, registryPort, dataDir, brokers, users)) {
      ProvisioningResult topics = infra.provisionTopics(prefix);
      Path devKey = DevAuditKey.ensure(Path.of(DevAuditKey.DIR));
      Path superFile = null;
      if (users != null) {
        infra.createAcls(acls.all());
        superFile = LocalSaslUsers.writeClientFiles(users, Path.of(USERS_DIR));
      }
      infra.writeStackFile(stackFile, prefix, devKey, streamsState, superFile);
      ours = infra.bootstrapServers();
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stop.countDown();
                    // the JVM may halt before the finally below: the hook cleans up too
                    removeStackFiles(streamsState);
                  }));
      out.printf(
          "ready in %.1f s%n  Kafka bootstrap servers: %s%n  Schema registry URL:     %s%n"
              + "  Topics: %d created, %d existing, prefix '%s'%s%n",
          (System.nanoTime() - start) / 1e9,
          infra.bootstrapServers(),
          infra.schemaRegistryUrl(),
          topics.created().size(),
          topics.existing().size(),
          prefix,
          infra.brokers() == 1
              ? ""
              : String.format(
                  ", %d replicas, min.insync.replicas %d",
                  TopicCatalog.replicationFactorFor(infra.brokers()),
                  TopicCatalog.minInsyncReplicasFor(
                      TopicCatalog.replicationFactorFor(infra.brokers()))));
      if (users != null) {
        out.printf(
            "  SASL and ACLs: %d users with the KafkaUser manifests' ACLs (%d), super user '%s';"
                + " client files in %s/ (--command-config; commands started here use %s)%n",
            users.users().size(), acls.all().size(), users.superUser(), USERS_DIR, superFile);
      }
      if (infra.cluster().isPresent()) {
        out.printf(
            "  Kafka nodes (broker and controller each, data in %s):%n",
            infra.cluster().get().workDir());
        ClusterControlServer.describe(infra.cluster().get())
            .lines()
            .forEach(line -> out.println("    " + line));
        out.printf(
            "  Node faults: expertflow broker kill|stop|start|restart --node N  (control at %s)%n",
            infra.controlUrl().orElseThrow());
      } else {
        out.printf("  Broker log: %s%n", infra.kafkaLogFiles().get(0));
      }
      out.printf(
          "  Audit signing (dev key, for 'expertflow streams' started here): %s, key id %s%n"
              + "  Streams app state (for 'expertflow streams' started here): %s%s%n"
              + "Press Ctrl-C to stop%s.%n",
          Path.of(DevAuditKey.DIR).resolve(AuditCommand.PRIVATE_FILE),
          DevAuditKey.keyId(devKey),
          streamsState,
          dataDir == null ? " (removed when this stops)" : "",
          infra.brokers() == 1 ? "" : " every node and the registry");
      out.flush();
      stop.await();
    } finally {
      removeStackFiles(streamsState);
    }
    return 0;
  }

  /**
   * The Kafka address of a stack whose file is in {@code stack} and whose first broker accepts
   * connections; null when there is no file or it is left from a stack that is gone (killed).
   */
  static String runningStack(Path stack) {
    String servers = ConnectionOptions.stackValue(stack, "bootstrap.servers");
    if (servers == null) {
      return null;
    }
    String first = servers.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      return null;
    }
    try {
      int port = Integer.parseInt(first.substring(colon + 1));
      return FreePorts.accepts(first.substring(0, colon), port, PROBE_MILLIS) ? servers : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /**
   * Removes the temporary streams state folders that stacks started from {@code folder} left (a
   * streams app still writing its stores when its stack stopped can leave one); no stack runs from
   * the folder when this is called.
   */
  private static void removeStaleStreamsState(Path folder) {
    if (!Files.isDirectory(folder)) {
      return;
    }
    try (var left = Files.newDirectoryStream(folder, STACK_STREAMS_PREFIX + "*")) {
      for (Path stale : left) {
        FileTrees.delete(stale);
      }
    } catch (IOException | UncheckedIOException e) {
      // best effort: a folder left stays until the next start
    }
  }

  /**
   * Removes the stack file when it is this stack's (a run that failed to start, or whose file
   * another stack has since replaced, leaves it), and the streams state folder when it is a
   * temporary one.
   */
  private void removeStackFiles(Path streamsState) {
    try {
      if (ours != null
          && ours.equals(ConnectionOptions.stackValue(stackFile, "bootstrap.servers"))) {
        Files.deleteIfExists(stackFile);
      }
      if (dataDir == null) {
        FileTrees.delete(streamsState);
      }
    } catch (IOException | UncheckedIOException ignored) {
      // best effort: the hook and the end of call() may both get here
    }
  }
}
