package io.expertflow.local;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The client and controller ports of a {@link LocalKafkaCluster}'s nodes, node {@code n} at index
 * {@code n - 1}: chosen once, kept across restarts.
 *
 * @param client each node's client port
 * @param controller each node's controller port
 */
record ClusterPorts(List<Integer> client, List<Integer> controller) {
  ClusterPorts {
    client = List.copyOf(client);
    controller = List.copyOf(controller);
  }

  /**
   * Chooses the ports of {@code size} nodes: a fixed port of the template counts up from it, one a
   * node; a free one ({@link LocalKafkaBrokerConfig#FREE_PORT}) is picked per node, distinct from
   * every other port of the cluster.
   *
   * @throws IllegalArgumentException if fixed ports run past 65535 or the two ranges overlap
   */
  static ClusterPorts choose(LocalKafkaBrokerConfig template, int size) {
    int[] clientPorts = new int[size];
    int[] controllerPorts = new int[size];
    Set<Integer> taken = new HashSet<>();
    fixedPorts(template.clientPort(), size, "clientPort", clientPorts, taken);
    fixedPorts(template.controllerPort(), size, "controllerPort", controllerPorts, taken);
    for (int i = 0; i < size; i++) {
      clientPorts[i] = clientPorts[i] != 0 ? clientPorts[i] : distinctFreePort(taken);
      controllerPorts[i] = controllerPorts[i] != 0 ? controllerPorts[i] : distinctFreePort(taken);
    }
    return new ClusterPorts(
        Arrays.stream(clientPorts).boxed().toList(),
        Arrays.stream(controllerPorts).boxed().toList());
  }

  private static void fixedPorts(
      int first, int size, String name, int[] ports, Set<Integer> taken) {
    if (first == LocalKafkaBrokerConfig.FREE_PORT) {
      return;
    }
    if (first + size - 1 > 65_535) {
      throw new IllegalArgumentException(
          name + " " + first + " leaves no room for " + size + " nodes (one port each).");
    }
    for (int i = 0; i < size; i++) {
      if (!taken.add(first + i)) {
        throw new IllegalArgumentException(
            "The client and controller ports of "
                + size
                + " nodes overlap at port "
                + (first + i)
                + "; give ports at least "
                + size
                + " apart.");
      }
      ports[i] = first + i;
    }
  }

  private static int distinctFreePort(Set<Integer> taken) {
    while (true) {
      int port = FreePorts.pick();
      if (taken.add(port)) {
        return port;
      }
    }
  }
}
