package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsExchange;
import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import java.util.Optional;

/**
 * Signing in to the console with an API token, when the streams app has a tokens file: the sign-in
 * page takes the token (the same one {@code expertflow status --token} uses), checks it and keeps
 * it in an {@code HttpOnly}, {@code SameSite=Strict} cookie (path {@code /}: the API under {@code
 * /v1/} accepts it too, for the export links), so scripts on the page cannot read it and other
 * sites cannot send it; reached over TLS (a proxy that says {@code X-Forwarded-Proto: https}) the
 * cookie is also {@code Secure}, so a browser never sends it over plain HTTP. The caller's tenant
 * and role come from the tokens file on every request: removing a line there (and restarting) signs
 * that token out everywhere. The cookie carries the token itself, so the console should be served
 * over TLS (a proxy or ingress in front) beyond one machine. Stateless.
 */
final class SignIn {
  static final String COOKIE = CallerTokens.CONSOLE_COOKIE;

  private SignIn() {}

  /** The signed-in caller: everyone when authentication is off, else the cookie's token's. */
  static Optional<CallerTokens.Caller> caller(HttpExchange exchange, CallerTokens tokens) {
    if (!tokens.enabled()) {
      return Optional.of(CallerTokens.Caller.UNAUTHENTICATED);
    }
    return cookie(exchange).flatMap(tokens::callerOfToken);
  }

  /** {@code GET /console/signin}: the form; {@code POST}: check the token and sign in. */
  static void handle(HttpExchange exchange, CallerTokens tokens) throws IOException {
    if ("POST".equals(exchange.getRequestMethod())) {
      String token;
      try {
        token = FormData.read(exchange.getRequestBody()).get("token");
      } catch (IllegalArgumentException e) {
        ConsoleResponses.html(exchange, 400, page(e.getMessage()));
        return;
      }
      Optional<CallerTokens.Caller> caller =
          token == null ? Optional.empty() : tokens.callerOfToken(token);
      if (caller.isEmpty()) {
        ConsoleResponses.html(
            exchange, 401, page("That token is not known to this streams app. Try again."));
        return;
      }
      exchange
          .getResponseHeaders()
          .add(
              "Set-Cookie",
              COOKIE
                  + "="
                  + token.strip()
                  + "; Path=/; SameSite=Strict; HttpOnly"
                  + secure(exchange));
      ConsoleResponses.redirect(exchange, "/console/review");
      return;
    }
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().add("Allow", "GET, POST");
      ConsoleResponses.html(exchange, 405, page("Use the form."));
      return;
    }
    ConsoleResponses.html(exchange, 200, page(null));
  }

  /** {@code POST /console/signout}: forgets the cookie. */
  static void signOut(HttpExchange exchange) throws IOException {
    exchange
        .getResponseHeaders()
        .add(
            "Set-Cookie",
            COOKIE + "=; Path=/; SameSite=Strict; HttpOnly; Max-Age=0" + secure(exchange));
    ConsoleResponses.redirect(exchange, "/console/signin");
  }

  /**
   * {@code "; Secure"} when the browser reached the console over TLS: served over HTTPS, or through
   * a proxy or ingress that terminates TLS and says so ({@code X-Forwarded-Proto: https}); else
   * {@code ""}, so that the loopback console over plain HTTP keeps working.
   */
  static String secure(HttpExchange exchange) {
    String forwarded = exchange.getRequestHeaders().getFirst("X-Forwarded-Proto");
    boolean tls =
        exchange instanceof HttpsExchange
            || forwarded != null && "https".equalsIgnoreCase(forwarded.split(",", 2)[0].strip());
    return tls ? "; Secure" : "";
  }

  private static String page(String problem) {
    Html h = new Html().begin("Sign in", "", null);
    if (problem != null) {
      h.raw("<p role=\"alert\" id=\"error\">").text(problem).raw("</p>");
    }
    return h.raw(
            "<p>Sign in with your API token (from <code>expertflow token create</code>). It"
                + " decides the tenant whose jobs and review items you see, and whether you may"
                + " decide review items (reviewer) or roll the model back (operator).</p>")
        .raw("<form method=\"post\" action=\"/console/signin\"><label for=\"token\">Token")
        .raw("<input id=\"token\" name=\"token\" type=\"password\" autocomplete=\"off\"")
        .raw(" required></label><button type=\"submit\">Sign in</button></form>")
        .end();
  }

  private static Optional<String> cookie(HttpExchange exchange) {
    return CallerTokens.consoleCookie(exchange);
  }
}
