package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * Who may reach the console. Without authentication (no tokens file): callers on the loopback
 * interface only, asking for a loopback host name (so a web page elsewhere cannot reach it through
 * a DNS name that points at 127.0.0.1). With tokens, any address (each page then needs a signed-in
 * caller). Either way a form must come from a page of the same origin (so another site open in the
 * reviewer's browser cannot post decisions). Stateless.
 */
public final class ConsoleAccess {
  /** What every refused caller reads. */
  public static final String LOOPBACK_ONLY =
      "The expertflow console signs callers in only when the streams app has a tokens file"
          + " (http.auth.tokens.file); without one it answers only callers on the same machine"
          + " (loopback: 127.0.0.1 or ::1). Open it on the host that runs the streams app, forward"
          + " the port over SSH (ssh -L 8090:127.0.0.1:8090 HOST), or set up tokens (expertflow"
          + " token create).";

  private ConsoleAccess() {}

  /** Why {@code exchange} is refused, or empty when it may be served (no authentication). */
  public static Optional<String> refusal(HttpExchange exchange) {
    return refusal(exchange, false);
  }

  /**
   * Why {@code exchange} is refused, or empty when it may be served.
   *
   * @param authenticating whether the console signs callers in (a tokens file is set)
   */
  public static Optional<String> refusal(HttpExchange exchange, boolean authenticating) {
    String host = exchange.getRequestHeaders().getFirst("Host");
    if (authenticating) {
      return crossSite(exchange, host);
    }
    InetSocketAddress remote = exchange.getRemoteAddress();
    InetAddress address = remote == null ? null : remote.getAddress();
    if (address == null || !address.isLoopbackAddress()) {
      return Optional.of(LOOPBACK_ONLY);
    }
    if (host != null && !loopbackName(hostOf(host))) {
      return Optional.of(
          "The console is reached as '"
              + host
              + "', which is not a loopback name; open it as http://127.0.0.1:PORT/console/ or"
              + " http://localhost:PORT/console/.");
    }
    return crossSite(exchange, host);
  }

  private static Optional<String> crossSite(HttpExchange exchange, String host) {
    if ("POST".equals(exchange.getRequestMethod())) {
      String origin = exchange.getRequestHeaders().getFirst("Origin");
      if (origin != null && !"null".equals(origin) && !sameHost(origin, host)) {
        return Optional.of("A form of another site (" + origin + ") cannot post to the console.");
      }
    }
    return Optional.empty();
  }

  static boolean loopbackName(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.startsWith("127.")) {
      // an IPv4 literal only: 127.0.0.1.example.com is a DNS name that may point anywhere
      return h.chars().allMatch(c -> c == '.' || Character.isDigit(c));
    }
    return h.equals("localhost")
        || h.endsWith(".localhost")
        || h.equals("::1")
        || h.equals("[::1]");
  }

  private static String hostOf(String hostHeader) {
    if (hostHeader.startsWith("[")) {
      int end = hostHeader.indexOf(']');
      return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
    }
    int colon = hostHeader.lastIndexOf(':');
    return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
  }

  private static boolean sameHost(String origin, String hostHeader) {
    try {
      URI uri = URI.create(origin);
      String authority = uri.getRawAuthority();
      return authority != null && authority.equalsIgnoreCase(hostHeader);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
