package io.expertflow.local;

import java.nio.file.Path;
import java.util.function.IntSupplier;

/**
 * A Kafka node's client and controller ports: those its configuration gives, and for each given as
 * 0 one picked at the first launch and kept, so a restart brings the node back on the same address.
 * Picked ports are picked anew only while the node never ran on them: another process may take a
 * port between the pick and the child's bind. Guarded by the node's lock; the client port may be
 * read from any thread.
 */
final class NodePorts {
  private final int configuredClient;
  private final int configuredController;
  private final IntSupplier picker;
  private volatile int client;
  private int controller;
  private boolean picked;

  NodePorts(LocalKafkaBrokerConfig config, IntSupplier picker) {
    this.configuredClient = config.clientPort();
    this.configuredController = config.controllerPort();
    this.picker = picker;
    this.client = configuredClient; // a given port is known before the first launch
    this.controller = configuredController;
  }

  /**
   * Picks the ports given as 0 unless they were picked already, then checks that both are free.
   *
   * @param broker how messages name the node
   * @param logFile the node's log, where a port in use is also written
   * @throws BrokerStartException naming the port in use and its listener
   */
  void settle(String broker, Path logFile) {
    if (!picked) {
      client = orPicked(configuredClient);
      controller = orPicked(configuredController);
      picked = true;
    }
    requireFree(client, configuredClient, "client", broker, logFile);
    requireFree(controller, configuredController, "controller", broker, logFile);
  }

  /**
   * Lets the next {@link #settle} pick other ports; false where none is picked (both are given) or
   * the node was ready on them, so clients know them.
   */
  boolean repick(boolean everReady) {
    boolean picks =
        configuredClient == LocalKafkaBrokerConfig.FREE_PORT
            || configuredController == LocalKafkaBrokerConfig.FREE_PORT;
    if (everReady || !picks) {
      return false;
    }
    picked = false;
    return true;
  }

  /** The client port; 0 before the first {@link #settle} when it is to be picked. */
  int client() {
    return client;
  }

  int controller() {
    return controller;
  }

  private int orPicked(int configured) {
    return configured == LocalKafkaBrokerConfig.FREE_PORT ? picker.getAsInt() : configured;
  }

  private static void requireFree(
      int port, int configured, String listener, String broker, Path logFile) {
    if (!FreePorts.isFree(port)) {
      throw BrokerStartException.portInUse(
          broker, port, listener, logFile, configured == LocalKafkaBrokerConfig.FREE_PORT);
    }
  }
}
