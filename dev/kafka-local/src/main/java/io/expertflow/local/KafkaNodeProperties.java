package io.expertflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The server properties of a single-node KRaft cluster: one process is broker and controller, every
 * internal topic has one replica, and everything binds to 127.0.0.1.
 */
final class KafkaNodeProperties {

  /** The id of the only node. */
  static final int NODE_ID = 1;

  private static final String HOST = "127.0.0.1";

  /**
   * Settings a one-node cluster needs, plus a few that keep it light. Internal topics get few
   * partitions because each partition costs start time and memory on a small machine; the cleaner's
   * buffer shrinks to fit the child's small heap.
   */
  private static final Map<String, String> SINGLE_NODE_DEFAULTS =
      Map.ofEntries(
          Map.entry("offsets.topic.replication.factor", "1"),
          Map.entry("offsets.topic.num.partitions", "5"),
          Map.entry("transaction.state.log.replication.factor", "1"),
          Map.entry("transaction.state.log.min.isr", "1"),
          Map.entry("transaction.state.log.num.partitions", "5"),
          Map.entry("share.coordinator.state.topic.replication.factor", "1"),
          Map.entry("share.coordinator.state.topic.min.isr", "1"),
          Map.entry("share.coordinator.state.topic.num.partitions", "5"),
          Map.entry("default.replication.factor", "1"),
          Map.entry("min.insync.replicas", "1"),
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
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("process.roles", "broker,controller");
    properties.put("node.id", Integer.toString(NODE_ID));
    properties.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
    properties.put(
        "listeners",
        "PLAINTEXT://" + HOST + ":" + clientPort + ",CONTROLLER://" + HOST + ":" + controllerPort);
    properties.put("advertised.listeners", "PLAINTEXT://" + HOST + ":" + clientPort);
    properties.put("controller.listener.names", "CONTROLLER");
    properties.put("inter.broker.listener.name", "PLAINTEXT");
    properties.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    properties.put("log.dirs", dataDir.toAbsolutePath().toString());
    properties.putAll(new TreeMap<>(SINGLE_NODE_DEFAULTS));
    properties.putAll(overrides);
    return properties;
  }

  /** Writes the properties in {@code .properties} format (escaping as Kafka will read them). */
  static void write(Map<String, String> properties, Path file) {
    Properties out = new Properties();
    out.putAll(properties);
    // the byte-stream form escapes non-ASCII, matching how Kafka loads the file
    try (OutputStream stream = Files.newOutputStream(file)) {
      out.store(stream, "single-node KRaft broker and controller");
    } catch (IOException e) {
      throw new UncheckedIOException("Could not write the broker properties to " + file, e);
    }
  }

  /** The address clients use. */
  static String bootstrapServers(int clientPort) {
    return HOST + ":" + clientPort;
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
