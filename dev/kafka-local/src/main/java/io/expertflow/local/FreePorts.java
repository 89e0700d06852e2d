package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Set;

/** Finds and checks TCP ports on the loopback interface. */
final class FreePorts {

  /**
   * Ports handed out lately, so that two callers in this JVM never get the same one: the kernel
   * readily hands a port just closed to the next bind on port 0, so a broker's client and
   * controller ports, or a broker's and a registry's started side by side, could otherwise coincide
   * before either server binds its port.
   */
  private static final int REMEMBERED = 4096;

  private static final Set<Integer> HANDED_OUT = new LinkedHashSet<>();

  private FreePorts() {}

  /**
   * A port nobody listens on at this moment and that no earlier call in this JVM returned lately.
   * Another process may still take it before the caller binds it; callers that start a server on it
   * report a bind failure clearly.
   */
  static synchronized int pick() {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = bindAny();
      if (HANDED_OUT.add(port)) {
        if (HANDED_OUT.size() > REMEMBERED) {
          Iterator<Integer> oldest = HANDED_OUT.iterator();
          oldest.next();
          oldest.remove();
        }
        return port;
      }
    }
    throw new IllegalStateException(
        "Could not find a free TCP port on 127.0.0.1 that was not handed out already");
  }

  private static int bindAny() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not find a free TCP port on 127.0.0.1", e);
    }
  }

  /** Whether a server could bind this port on 127.0.0.1 now. */
  static boolean isFree(int port) {
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
