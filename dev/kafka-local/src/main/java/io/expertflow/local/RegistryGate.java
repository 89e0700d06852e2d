package io.expertflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on 127.0.0.1 in front of the real schema registry, which a chaos run or a test shuts
 * and opens to make an outage (the local registry keeps its schemas in memory, so stopping the
 * process itself would lose them; a production registry keeps them in Kafka). While closed nothing
 * listens on its port (clients get "connection refused", as when the registry is down) and open
 * connections are cut; while open, bytes pass both ways unchanged. The registry itself keeps
 * running, with its schemas.
 */
public final class RegistryGate implements AutoCloseable {
  private final URI target;
  private final int port;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile ServerSocket server;

  /** A closed gate in front of the registry API at {@code registryUrl}. */
  public RegistryGate(String registryUrl) throws IOException {
    this.target = URI.create(registryUrl);
    // not a port the kernel hands out by itself: while the gate is closed, another process could
    // bind or connect from it, and the gate could not open again
    this.port = FreePorts.pick();
  }

  /** The registry's API URL through the gate. */
  public String url() {
    return target.getScheme() + "://127.0.0.1:" + port + target.getRawPath();
  }

  public synchronized void open() throws IOException {
    ServerSocket s = new ServerSocket();
    s.setReuseAddress(true);
    s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    server = s;
    Thread acceptor = new Thread(() -> accept(s), "registry-gate-" + port);
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Stops listening and cuts every relayed connection. */
  public synchronized void shut() {
    closeQuietly(server);
    server = null;
    sockets.forEach(RegistryGate::closeQuietly);
    sockets.clear();
  }

  private void accept(ServerSocket s) {
    while (!s.isClosed()) {
      try {
        Socket client = s.accept();
        Socket upstream = new Socket(target.getHost(), target.getPort());
        sockets.add(client);
        sockets.add(upstream);
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        if (!s.isClosed()) {
          throw new UncheckedIOException(e);
        }
      }
    }
  }

  private static void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                in.transferTo(out);
              } catch (IOException cut) {
                // the gate was shut or a side hung up
              } finally {
                closeQuietly(from);
                closeQuietly(to);
              }
            },
            "registry-gate-pump");
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception ignored) {
      // closing what is already broken
    }
  }

  /** Whether it is open now. */
  public boolean isOpen() {
    return server != null;
  }

  @Override
  public void close() {
    shut();
  }
}
