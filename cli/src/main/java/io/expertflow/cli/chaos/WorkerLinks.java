package io.expertflow.cli.chaos;

import io.expertflow.local.FreePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The network between each worker of a run and a single Kafka node, for {@code network-cut}: the
 * node gets one extra client listener per worker ({@code CUT1}, {@code CUT2}, ..., plaintext like
 * the node's own client listener; brokers still talk to each other over {@code PLAINTEXT}) whose
 * advertised address is that worker's {@link BrokerLink}, and the worker bootstraps through its
 * link. Kafka clients connect to the addresses the node advertises on the listener they reached it
 * by, so all of that worker's connections pass its link, and cutting the link cuts that worker
 * alone. The node's other settings stay as they are.
 */
final class WorkerLinks implements AutoCloseable {
  private static final String HOST = "127.0.0.1";

  private final int clientPort;
  private final int controllerPort;
  private final Map<String, Integer> listenPorts = new LinkedHashMap<>();
  private final Map<String, BrokerLink> links = new LinkedHashMap<>();

  /** Links for {@code workers}, and the node's ports chosen free now. */
  WorkerLinks(List<String> workers) {
    try {
      this.clientPort = FreePorts.pick();
      this.controllerPort = FreePorts.pick();
      for (String w : workers) {
        int listen = FreePorts.pick();
        listenPorts.put(w, listen);
        links.put(w, new BrokerLink(0, HOST, listen));
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException("cannot open the workers' links to Kafka: " + e, e);
    }
  }

  int clientPort() {
    return clientPort;
  }

  int controllerPort() {
    return controllerPort;
  }

  /** The node's listener settings: its own listeners plus one per worker. */
  Map<String, String> brokerProperties() {
    List<String> listeners = new ArrayList<>();
    List<String> advertised = new ArrayList<>();
    List<String> protocols = new ArrayList<>();
    listeners.add("PLAINTEXT://" + HOST + ":" + clientPort);
    listeners.add("CONTROLLER://" + HOST + ":" + controllerPort);
    advertised.add("PLAINTEXT://" + HOST + ":" + clientPort);
    protocols.add("PLAINTEXT:PLAINTEXT");
    protocols.add("CONTROLLER:PLAINTEXT");
    int i = 1;
    for (String w : links.keySet()) {
      String name = listenerName(i++);
      listeners.add(name + "://" + HOST + ":" + listenPorts.get(w));
      advertised.add(name + "://" + HOST + ":" + links.get(w).port());
      protocols.add(name + ":PLAINTEXT");
    }
    Map<String, String> p = new LinkedHashMap<>();
    p.put("listeners", String.join(",", listeners));
    p.put("advertised.listeners", String.join(",", advertised));
    p.put("listener.security.protocol.map", String.join(",", protocols));
    return p;
  }

  /** Name of the {@code i}th worker's listener (from 1). */
  static String listenerName(int i) {
    return String.format(Locale.ROOT, "CUT%d", i);
  }

  /** The bootstrap address of {@code worker}: its link. */
  String bootstrapOf(String worker) {
    return HOST + ":" + links.get(worker).port();
  }

  /** Each worker's links, one per node (one node here). */
  Map<String, List<BrokerLink>> byWorker() {
    Map<String, List<BrokerLink>> m = new LinkedHashMap<>();
    links.forEach((w, l) -> m.put(w, List.of(l)));
    return m;
  }

  @Override
  public void close() {
    links.values().forEach(BrokerLink::close);
  }
}
