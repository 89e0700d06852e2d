package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds TCP ports that are free on the loopback interface right now. */
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

  /** {@code port} if given (non-zero), else a free one. */
  static int orFree(int port) {
    return port == 0 ? pick() : port;
  }
}
