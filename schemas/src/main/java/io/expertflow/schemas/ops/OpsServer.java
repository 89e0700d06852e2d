package io.expertflow.schemas.ops;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * A service's operations endpoints on the JDK HTTP server: {@code /metrics} (Prometheus text, as
 * the service's meter registry scrapes it), {@code /healthz} (the process is alive) and {@code
 * /readyz} (the service says it takes work), for Kubernetes probes and scraping. The worker and the
 * updater serve them on their {@code http.port}.
 */
public final class OpsServer implements AutoCloseable {
  private final HttpServer server;

  public OpsServer(int port, Supplier<String> scrape, BooleanSupplier ready) throws IOException {
    server = HttpServer.create(new InetSocketAddress(port), 0);
    server.setExecutor(Executors.newSingleThreadExecutor(r -> daemon(r, "ops-http")));
    server.createContext(
        "/metrics", ex -> send(ex, 200, "text/plain; version=0.0.4", scrape.get()));
    server.createContext("/healthz", ex -> send(ex, 200, "text/plain", "ok\n"));
    server.createContext(
        "/readyz",
        ex -> {
          boolean ok = ready.getAsBoolean();
          send(ex, ok ? 200 : 503, "text/plain", ok ? "ready\n" : "not ready\n");
        });
    server.createContext(
        "/",
        ex ->
            send(
                ex,
                404,
                "text/plain",
                "no such path "
                    + ex.getRequestURI().getRawPath()
                    + ": this port serves /metrics,"
                    + " /healthz and /readyz\n"));
    server.start();
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void send(HttpExchange ex, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
