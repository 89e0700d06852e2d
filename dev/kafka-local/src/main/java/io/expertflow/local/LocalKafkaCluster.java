package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Kafka KRaft cluster of several nodes on this machine, for showing what replication
 * does when a broker fails. Each node is a child JVM that is broker and controller at once and a
 * voter of a static quorum of all nodes; node {@code n} keeps its storage, properties and log in
 * {@code node-n/} of the work folder.
 *
 * <p>Internal topics (offsets, transaction state, share-coordinator state) and topics created
 * without settings get min(3, nodes) replicas and a {@code min.insync.replicas} one lower, so a
 * three-node cluster keeps accepting {@code acks=all} writes with one node down.
 *
 * <p>{@link #start()} launches every node before waiting for any, since a node becomes ready only
 * once a majority of the voters runs. A single node can then be killed ({@link #kill(int)}, as a
 * crash would), stopped, started or restarted; it comes back on the same ports with its data.
 *
 * <p>Thread-safe: lifecycle methods are serialised; {@link #bootstrapServers()} may be read from
 * any thread.
 */
public final class LocalKafkaCluster implements AutoCloseable {

  /** The nodes of a cluster unless told otherwise: enough for replication 3 and min ISR 2. */
  public static final int DEFAULT_NODES = 3;

  private static final Logger LOG = LoggerFactory.getLogger(LocalKafkaCluster.class);

  private final Path workDir;
  private final boolean ownsWorkDir;
  private final Map<Integer, LocalKafkaBroker> nodes = new TreeMap<>();
  private final String bootstrapServers;
  private final String clusterId;
  private final Thread shutdownHook;
  private Duration lastStartDuration;
  private boolean closed;

  /**
   * Prepares a cluster; nothing runs until {@link #start()}.
   *
   * @param size the number of nodes, 1 or more
   * @param template settings every node shares; a fixed client port {@code p} gives node {@code n}
   *     port {@code p + n - 1} (the same for the controller port), port 0 a free port per node; a
   *     work folder holds one folder per node
   */
  public LocalKafkaCluster(int size, LocalKafkaBrokerConfig template) {
    Objects.requireNonNull(template, "template");
    if (size < 1) {
      throw new IllegalArgumentException("A cluster has at least one node; got " + size + ".");
    }
    ClusterPorts ports = ClusterPorts.choose(template, size);
    try {
      this.ownsWorkDir = template.workDir().isEmpty();
      this.workDir =
          ownsWorkDir
              ? Files.createTempDirectory("expertflow-kafka-cluster-")
              : Files.createDirectories(template.workDir().get());
    } catch (IOException e) {
      throw new UncheckedIOException("Could not create the cluster's work folder", e);
    }
    this.clusterId =
        KafkaNodeProperties.storedClusterId(nodeDir(1).resolve("data"))
            .orElseGet(() -> Uuid.randomUuid().toString());
    List<KafkaNodeProperties.Voter> voters = new ArrayList<>();
    for (int n = 1; n <= size; n++) {
      voters.add(new KafkaNodeProperties.Voter(n, ports.controller().get(n - 1)));
    }
    for (int n = 1; n <= size; n++) {
      nodes.put(
          n,
          LocalKafkaBroker.clusterNode(
              template.forNode(
                  nodeDir(n), ports.client().get(n - 1), ports.controller().get(n - 1)),
              n,
              voters,
              clusterId));
    }
    this.bootstrapServers = KafkaNodeProperties.bootstrapServers(ports.client());
    // a broker's clean shutdown needs the controller quorum to grant it: once fewer than a
    // majority of the voters run (the others stopped first), waiting out the stop timeout is futile
    int majority = size / 2 + 1;
    nodes.values().forEach(node -> node.shutdownHopelessWhen(() -> runningNodes() < majority));
    this.shutdownHook = new Thread(this::stopOnJvmExit, "local-kafka-cluster-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Creates and starts a cluster; see {@link #start()}. */
  public static LocalKafkaCluster start(int size, LocalKafkaBrokerConfig template) {
    return new LocalKafkaCluster(size, template).start();
  }

  /**
   * Starts every node that does not run and blocks until all are ready.
   *
   * @throws BrokerStartException naming the node that failed and its log file; every node is then
   *     stopped
   */
  public synchronized LocalKafkaCluster start() {
    requireOpen();
    long startNanos = System.nanoTime();
    try {
      List<LocalKafkaBroker> launched = new ArrayList<>();
      for (LocalKafkaBroker node : nodes.values()) {
        if (node.launch()) {
          launched.add(node);
        }
      }
      for (LocalKafkaBroker node : launched) {
        node.awaitLaunched();
      }
    } catch (RuntimeException e) {
      stopAll();
      throw e;
    }
    lastStartDuration = Duration.ofNanos(System.nanoTime() - startNanos);
    LOG.info(
        "Kafka cluster of {} nodes ready at {} in {} ms (work folder {})",
        nodes.size(),
        bootstrapServers,
        lastStartDuration.toMillis(),
        workDir);
    return this;
  }

  /** Every node's {@code host:port}, comma-separated; stays the same across restarts. */
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** The node ids, 1 to {@link #size()}. */
  public List<Integer> nodeIds() {
    return List.copyOf(nodes.keySet());
  }

  /** The cluster id every node's storage is formatted with. */
  public String clusterId() {
    return clusterId;
  }

  /**
   * One node, for its address, process id and log file, or to stop and start it. Closing it makes
   * it unusable for the rest of the cluster's life.
   *
   * @throws IllegalArgumentException when no node has this id
   */
  public LocalKafkaBroker node(int nodeId) {
    LocalKafkaBroker node = nodes.get(nodeId);
    if (node == null) {
      throw new IllegalArgumentException(
          "No node " + nodeId + " in this cluster; its nodes are " + nodes.keySet() + ".");
    }
    return node;
  }

  /** Kills node {@code nodeId} at once (SIGKILL); see {@link LocalKafkaBroker#kill()}. */
  public synchronized void kill(int nodeId) {
    requireOpen();
    node(nodeId).kill();
  }

  /** Stops node {@code nodeId} cleanly; its storage is kept. */
  public synchronized void stop(int nodeId) {
    requireOpen();
    node(nodeId).stop();
  }

  /** Starts node {@code nodeId} again on its ports and storage and waits until it is ready. */
  public synchronized void start(int nodeId) {
    requireOpen();
    node(nodeId).start();
  }

  /** Stops node {@code nodeId} cleanly and starts it again with its data. */
  public synchronized void restart(int nodeId) {
    requireOpen();
    node(nodeId).restart();
  }

  /** The folder holding one folder per node. */
  public Path workDir() {
    return workDir;
  }

  /** How long the last {@link #start()} took until every node was ready. */
  public synchronized Optional<Duration> lastStartDuration() {
    return Optional.ofNullable(lastStartDuration);
  }

  /** Stops every node (side by side) and deletes a temporary work folder. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll();
    nodes.values().forEach(LocalKafkaBroker::close);
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // the JVM is shutting down and the hook runs anyway
    }
    if (ownsWorkDir) {
      WorkFolders.deleteRecursively(workDir);
    }
  }

  /** Nodes whose process is alive, read without taking any lock. */
  private int runningNodes() {
    return (int) nodes.values().stream().filter(node -> node.pid().isPresent()).count();
  }

  private Path nodeDir(int nodeId) {
    return workDir.resolve("node-" + nodeId);
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("This cluster is closed; create a new LocalKafkaCluster.");
    }
  }

  /**
   * Stops the nodes side by side: a node's clean shutdown waits on the controller quorum, which
   * would be gone if the nodes were stopped one after another.
   */
  private void stopAll() {
    List<Thread> stoppers = new ArrayList<>();
    for (LocalKafkaBroker node : nodes.values()) {
      Thread stopper = new Thread(node::stop, "stop-kafka-node-" + node.nodeId());
      stopper.start();
      stoppers.add(stopper);
    }
    boolean interrupted = false;
    for (Thread stopper : stoppers) {
      while (true) {
        try {
          stopper.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs beside any {@link #close()} in progress; the lock keeps them from both deleting. */
  private synchronized void stopOnJvmExit() {
    if (closed) {
      return;
    }
    closed = true;
    stopAll();
    if (ownsWorkDir) {
      WorkFolders.deleteRecursively(workDir);
    }
  }
}
