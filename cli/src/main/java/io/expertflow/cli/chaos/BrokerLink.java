package io.expertflow.cli.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The network between one worker and one Kafka node: a TCP relay on 127.0.0.1 that the node
 * advertises to that worker (a listener of its own whose advertised address is the relay), so every
 * connection of the worker's clients to the node passes it. {@link #cut} makes it a blackhole, as a
 * network partition is: open connections stay open but nothing passes either way, and new ones are
 * accepted and then hear nothing (no "connection refused", which a client would notice at once).
 * {@link #heal} resets every connection that lived through the cut (both ends see it closed, bytes
 * held back are dropped) and forwards again; clients reconnect.
 *
 * <p>Thread-safe. Each relayed connection has two pump threads.
 */
final class BrokerLink implements AutoCloseable {
  private final String targetHost;
  private final int targetPort;
  private final ServerSocket server;
  private final Object lock = new Object();
  private final List<Socket> sockets = new ArrayList<>();
  private boolean cut;

  /** A relay listening on {@code port} (0: a free one) of 127.0.0.1, forwarding to the target. */
  BrokerLink(int port, String targetHost, int targetPort) throws IOException {
    this.targetHost = targetHost;
    this.targetPort = targetPort;
    this.server = new ServerSocket();
    server.setReuseAddress(true);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    Thread acceptor = new Thread(this::accept, "broker-link-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** From now on nothing passes, either way, on open or new connections. */
  void cut() {
    synchronized (lock) {
      cut = true;
    }
  }

  /** Resets every connection open now (all lived through the cut) and forwards again. */
  void heal() {
    synchronized (lock) {
      sockets.forEach(BrokerLink::closeQuietly);
      sockets.clear();
      cut = false;
      lock.notifyAll();
    }
  }

  boolean isCut() {
    synchronized (lock) {
      return cut;
    }
  }

  private void accept() {
    while (!server.isClosed()) {
      Socket client;
      try {
        client = server.accept();
      } catch (IOException e) {
        if (server.isClosed()) {
          return;
        }
        throw new UncheckedIOException(e);
      }
      try {
        Socket upstream = new Socket(targetHost, targetPort);
        synchronized (lock) {
          sockets.add(client);
          sockets.add(upstream);
        }
        pump(client, upstream);
        pump(upstream, client);
      } catch (IOException e) {
        closeQuietly(client); // the node is down: the client sees the connection close
      }
    }
  }

  private void pump(Socket from, Socket to) {
    Thread t =
        new Thread(
            () -> {
              byte[] buffer = new byte[64 * 1024];
              try (InputStream in = from.getInputStream();
                  OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                  holdWhileCut();
                  out.write(buffer, 0, n);
                  out.flush();
                }
              } catch (IOException | InterruptedException reset) {
                // healed (reset), closed, or a side hung up
              } finally {
                closeQuietly(from);
                closeQuietly(to);
                synchronized (lock) {
                  sockets.remove(from);
                  sockets.remove(to);
                }
              }
            },
            "broker-link-pump");
    t.setDaemon(true);
    t.start();
  }

  private void holdWhileCut() throws InterruptedException {
    synchronized (lock) {
      while (cut) {
        lock.wait();
      }
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing what is already broken
    }
  }

  @Override
  public void close() {
    closeQuietly(server);
    heal();
  }
}
