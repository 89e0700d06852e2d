package io.expertflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The server properties of a node of a local KRaft cluster: each process is broker and controller,
 * every node is a voter of a static quorum, and everything binds to 127.0.0.1. A single node gives
 * every internal topic one replica; a cluster gives min(3, nodes) replicas and a min ISR one lower.
 */
final class KafkaNodeProperties {

  /** The id of the only node of a single-node cluster, and of the first node of a larger one. */
  static final int NODE_ID = 1;

  /** The most replicas the local cluster gives a topic, as production clusters usually do. */
  static final int MAX_REPLICATION_FACTOR = 3;

  /** A voter of the controller quorum: a node id and its controller port on 127.0.0.1. */
  record Voter(int nodeId, int controllerPort) {
    String text() {
      return nodeId + "@" + HOST + ":" + controllerPort;
    }
  }

  /** Every node listens on the loopback address only. */
  static final String HOST = "127.0.0.1";

  /**
   * Settings a one-node cluster needs, plus a few that keep it light. Internal topics get few
   * partitions because each partition costs start time and memory on a small machine; the cleaner's
   * buffer shrinks to fit the child's small heap.
   */
  private static final Map<String, String> LIGHT_NODE_DEFAULTS =
      Map.ofEntries(
          Map.entry("offsets.topic.num.partitions", "5"),
          Map.entry("transaction.state.log.num.partitions", "5"),
          Map.entry("share.coordinator.state.topic.num.partitions", "5"),
          Map.entry("group.initial.rebalance.delay.ms", "0"),
          Map.entry("log.cleaner.dedupe.buffer.size", Integer.toString(16 * 1024 * 1024)),
          Map.entry("num.io.threads", "4"),
          Map.entry("num.network.threads", "2"));

  private KafkaNodeProperties() {}

  /**
   * The properties of the node.
   *
   * @param overrides replace any default, including listeners
   */
  static Map<String, String> of(
      int clientPort, int controllerPort, Path dataDir, Map<String, String> overrides) {
    return ofNode(
        NODE_ID, clientPort, List.of(new Voter(NODE_ID, controllerPort)), dataDir, overrides);
  }

  /**
   * The properties of node {@code nodeId} of a cluster whose every node is one of {@code voters}.
   *
   * @param overrides replace any default, including listeners
   */
  static Map<String, String> ofNode(
      int nodeId, int clientPort, List<Voter> voters, Path dataDir, Map<String, String> overrides) {
    int controllerPort =
        voters.stream()
            .filter(voter -> voter.nodeId() == nodeId)
            .findFirst()
            .orElseThrow(
                () -> new IllegalArgumentException("Node " + nodeId + " is not among " + voters))
            .controllerPort();
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(nodeId));
    properties.put(
        "controller.quorum.voters",
        voters.stream().map(Voter::text).collect(Collectors.joining(",")));
    properties.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    properties.put("log.dirs", dataDir.toAbsolutePath().toString());
    properties.putAll(new TreeMap<>(replicaDefaults(voters.size())));
    properties.putAll(new TreeMap<>(LIGHT_NODE_DEFAULTS));
    properties.putAll(overrides);
    return properties;
  }

  /** Replicas of a topic on a cluster of this many nodes: one per node, at most three. */
  static int replicationFactorFor(int nodes) {
    return Math.min(MAX_REPLICATION_FACTOR, nodes);
  }

  /** One less than the replicas from two up, so a write survives one node down; else 1. */
  static int minInsyncReplicasFor(int replicationFactor) {
    return replicationFactor >= 2 ? replicationFactor - 1 : 1;
  }

  /**
   * Replication of the internal topics (offsets, transaction state, share-coordinator state) and
   * the defaults of topics created without settings.
   */
  private static Map<String, String> replicaDefaults(int nodes) {
    String replicas = Integer.toString(replicationFactorFor(nodes));
    String minIsr = Integer.toString(minInsyncReplicasFor(replicationFactorFor(nodes)));
    return Map.of(
        "offsets.topic.replication.factor", replicas,
        "transaction.state.log.replication.factor", replicas,
        "transaction.state.log.min.isr", minIsr,
        "share.coordinator.state.topic.replication.factor", replicas,
        "share.coordinator.state.topic.min.isr", minIsr,
        "default.replication.factor", replicas,
        "min.insync.replicas", minIsr);
  }

  /** Writes the properties in {@code .properties} format (escaping as Kafka will read them). */
  static void write(Map<String, String> properties, Path file) {
    Properties out = new Properties();
    out.putAll(properties);
    // the byte-stream form escapes non-ASCII, matching how Kafka loads the file
    try (OutputStream stream = Files.newOutputStream(file)) {
      out.store(stream, "local KRaft node: broker and controller");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the broker properties to " + file, e);
    }
  }

  /** The address clients use. */
  static String bootstrapServers(int clientPort) {
    return HOST + ":" + clientPort;
  }

  /** The addresses of several nodes, comma-separated as clients take them. */
  static String bootstrapServers(List<Integer> clientPorts) {
    return clientPorts.stream()
        .map(KafkaNodeProperties::bootstrapServers)
        .collect(Collectors.joining(","));
  }

  /** The cluster id of storage formatted by an earlier run in {@code dataDir}, if any. */
  static Optional<String> storedClusterId(Path dataDir) {
    Path meta = dataDir.resolve("meta.properties");
    if (!Files.isRegularFile(meta)) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (InputStream in = Files.newInputStream(meta)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read " + meta, e);
    }
    return Optional.ofNullable(properties.getProperty("cluster.id"));
  }
}
