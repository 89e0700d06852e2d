package io.expertflow.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {
  @TempDir Path dir;

  @Test
  void shouldPickBelowTheKernelsEphemeralRange() {
    // ports of that range go to every bind on port 0 and every outgoing connection on the machine
    assertThat(FreePorts.quietHigh()).isGreaterThan(FreePorts.QUIET_LOW);
    for (int i = 0; i < 50; i++) {
      assertThat(FreePorts.pick()).isBetween(FreePorts.QUIET_LOW, FreePorts.quietHigh() - 1);
    }
  }

  @Test
  void shouldReadWhereTheEphemeralRangeStartsAsLinuxStatesIt() throws Exception {
    Path range = Files.writeString(dir.resolve("ip_local_port_range"), "32768\t60999\n");

    assertThat(FreePorts.ephemeralLow(range)).hasValue(32768);
    assertThat(FreePorts.ephemeralLow(dir.resolve("absent"))).isEmpty();
    assertThat(FreePorts.ephemeralLow(Files.writeString(dir.resolve("odd"), "x"))).isEmpty();
  }

  @Test
  void shouldNotHandOutAPortTwice() {
    Set<Integer> ports = new HashSet<>();
    for (int i = 0; i < 400; i++) {
      assertThat(ports.add(FreePorts.pick())).as("pick %d", i).isTrue();
    }
  }

  @Test
  void shouldGiveCallersOnSeveralThreadsDistinctPorts() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<List<Integer>>> picks = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        picks.add(
            pool.submit(
                () -> {
                  List<Integer> mine = new ArrayList<>();
                  for (int i = 0; i < 50; i++) {
                    mine.add(FreePorts.pick());
                  }
                  return mine;
                }));
      }
      Set<Integer> all = new HashSet<>();
      for (Future<List<Integer>> f : picks) {
        all.addAll(f.get());
      }
      assertThat(all).hasSize(200);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void shouldSeeAPortThatAServerHoldsAsTaken() throws Exception {
    try (ServerSocket held = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(FreePorts.isFree(held.getLocalPort())).isFalse();
    }
    assertThat(FreePorts.isFree(FreePorts.pick())).isTrue();
  }
}
