package io.expertflow.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds and checks TCP ports on the loopback interface.
 *
 * <p>Ports are picked below the kernel's ephemeral range, not by binding port 0: the kernel hands
 * the ports of that range to every bind on port 0 and every outgoing connection on the machine, and
 * readily hands a port just closed to the next such bind, so a port picked there could be taken by
 * another process (a child JVM booting beside us, a client connecting) before our server binds it.
 * Only where that range leaves no room below it does a pick fall back to binding port 0.
 */
public final class FreePorts {

  /**
   * Ports handed out lately, so that two callers in this JVM never get the same one: a broker's
   * client and controller ports, or a broker's and a registry's started side by side, must differ
   * before either server binds its port.
   */
  private static final int REMEMBERED = 4096;

  /** The lowest port picked: below it lie the well-known and most registered service ports. */
  static final int QUIET_LOW = 20_000;

  /** Where the ephemeral range starts when the kernel does not say (the IANA dynamic range). */
  private static final int IANA_EPHEMERAL_LOW = 49_152;

  private static final Path LINUX_PORT_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

  private static final int QUIET_ATTEMPTS = 200;

  private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();

  /** One past the highest port picked first: where the ephemeral range starts. */
  private static final int QUIET_HIGH = ephemeralLow(LINUX_PORT_RANGE).orElse(IANA_EPHEMERAL_LOW);

  private FreePorts() {}

  /**
   * A port nobody listens on at this moment, outside the range the kernel hands out on its own, and
   * that no earlier call in this JVM returned lately. Another process may still bind it on purpose
   * before the caller does; callers that start a server on it report a bind failure clearly.
   */
  public static synchronized int pick() {
    if (QUIET_HIGH > QUIET_LOW) {
      for (int attempt = 0; attempt < QUIET_ATTEMPTS; attempt++) {
        int port = ThreadLocalRandom.current().nextInt(QUIET_LOW, QUIET_HIGH);
        if (!HANDED_OUT.contains(port) && isFree(port)) {
          return remember(port);
        }
      }
    }
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = bindAny();
      if (!HANDED_OUT.contains(port)) {
        return remember(port);
      }
    }
    throw new IllegalStateException(
        "Could not find a free TCP port on 127.0.0.1 that was not handed out already");
  }

  private static int remember(int port) {
    HANDED_OUT.add(port);
    if (HANDED_OUT.size() > REMEMBERED) {
      Iterator<Integer> oldest = HANDED_OUT.iterator();
      oldest.next();
      oldest.remove();
    }
    return port;
  }

  /** Where {@link #pick} looks first: from {@link #QUIET_LOW} up to, not including, this port. */
  static int quietHigh() {
    return QUIET_HIGH;
  }

  /** The first port of the kernel's ephemeral range, as Linux states it in {@code portRange}. */
  static OptionalInt ephemeralLow(Path portRange) {
    // read line by line: files under /proc state a size of 0, and Files.readString of this one
    // returns its first byte alone on Java 17
    try (BufferedReader reader = Files.newBufferedReader(portRange)) {
      String[] bounds = reader.readLine().trim().split("\\s+");
      return OptionalInt.of(Integer.parseInt(bounds[0]));
    } catch (IOException | RuntimeException e) {
      return OptionalInt.empty();
    }
  }

  private static int bindAny() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free TCP port on 127.0.0.1", e);
    }
  }

  /**
   * Whether something accepts connections at {@code host:port} within {@code timeoutMillis}: a
   * probe that no Kafka client logs about.
   */
  public static boolean accepts(String host, int port, int timeoutMillis) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), timeoutMillis);
      return true;
    } catch (IOException | IllegalArgumentException e) {
      return false;
    }
  }

  /** Whether a server could bind this port on 127.0.0.1 now. */
  public static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code port} if given (non-zero), else a free one ({@link #pick}). */
  static int orFree(int port) {
    return port == 0 ? pick() : port;
  }
}
