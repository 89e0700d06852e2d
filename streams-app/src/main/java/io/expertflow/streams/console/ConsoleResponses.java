package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** The console's answers: HTML pages, plain-text refusals, error pages, redirects. Stateless. */
final class ConsoleResponses {
  private ConsoleResponses() {}

  /** The exchange attribute holding the signed-in {@link CallerTokens.Caller}, if any. */
  static final String CALLER = "expertflow.console.caller";

  /** The exchange attribute set when the console authenticates callers (tokens are on). */
  static final String AUTHENTICATING = "expertflow.console.authenticating";

  static void html(HttpExchange exchange, int status, String page) throws IOException {
    send(
        exchange,
        status,
        "text/html; charset=utf-8",
        page.replace(Html.CALLER_SLOT, callerNotice(exchange)));
  }

  /** Who is signed in, and how to sign out; or, without authentication, who may use the console. */
  private static String callerNotice(HttpExchange exchange) {
    if (exchange.getAttribute(AUTHENTICATING) == null) {
      return "<p class=\"notice\" role=\"note\">No sign-in: the streams app has no tokens file"
          + " (http.auth.tokens.file), so this console answers only callers on this machine"
          + " (loopback), each acting as an operator of every tenant.</p>";
    }
    Object caller = exchange.getAttribute(CALLER);
    if (!(caller instanceof CallerTokens.Caller c)) {
      return "";
    }
    return new Html()
        .raw("<p class=\"notice\" role=\"note\" id=\"signed-in\">Signed in: tenant ")
        .text(CallerTokens.ALL_TENANTS.equals(c.tenant()) ? "* (every tenant)" : c.tenant())
        .raw(", ")
        .text(c.role().name().toLowerCase(java.util.Locale.ROOT))
        .raw(". </p><form method=\"post\" action=\"/console/signout\"><button type=\"submit\">")
        .raw("Sign out</button></form>")
        .fragment();
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

  /** 503 with {@code Retry-After: 1}: the page's data cannot be read now, for {@code reason}. */
  static void unavailable(HttpExchange exchange, String title, String reason) throws IOException {
    exchange.getResponseHeaders().add("Retry-After", "1");
    error(exchange, 503, title, "Not available now: " + reason, null);
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
