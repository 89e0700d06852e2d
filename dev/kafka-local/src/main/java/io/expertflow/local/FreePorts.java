package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Finds and checks TCP ports on the loopback interface. */
final class FreePorts {

  private FreePorts() {}

  /**
   * A port nobody listens on at this moment. Another process may still take it before the caller
   * binds it; callers that start a server on it report a bind failure clearly.
   */
  static int pick() {
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

  /** {@code port} if given (non-zero), else a free one. */
  static int orFree(int port) {
    return port == 0 ? pick() : port;
  }
}
