package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The console's answers: HTML pages, plain-text refusals, error pages, redirects. Stateless. */
final class ConsoleResponses {
  private ConsoleResponses() {}

  static void html(HttpExchange exchange, int status, String page) throws IOException {
    send(exchange, status, "text/html; charset=utf-8", page);
  }

  static void text(HttpExchange exchange, int status, String message) throws IOException {
    send(exchange, status, "text/plain; charset=utf-8", message + "\n");
  }

  /** An error page with the message and a way back. */
  static void error(HttpExchange exchange, int status, String title, String message, String back)
      throws IOException {
    Html h = new Html().begin(title, "", null);
    h.raw("<p role=\"alert\" id=\"error\">").text(message).raw("</p>");
    if (back != null) {
      h.raw("<p><a href=\"").text(back).raw("\">Back</a></p>");
    }
    html(exchange, status, h.end());
  }

  static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(303, -1);
  }

  private static void send(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange.getResponseHeaders().set("X-Frame-Options", "DENY");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; form-action"
                + " 'self'; frame-ancestors 'none'");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
