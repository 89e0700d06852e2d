package io.expertflow.streams.status;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Who may read what through the HTTP API: bearer tokens mapped to tenants. A caller presents {@code
 * Authorization: Bearer <token>}; the tokens file holds, one per line, {@code tenant:sha256} (the
 * SHA-256 of the token in hex, never the token itself), {@code *} as the tenant for an operator who
 * may read every tenant's requests and jobs. With no file, nothing is checked (the API then trusts
 * its network: bind it to loopback or keep it behind a proxy).
 *
 * <p>A caller without a known token gets 401; a request or job of another tenant answers as if it
 * did not exist (404), so ids of other tenants cannot be probed. Immutable and thread-safe.
 */
public final class CallerTokens {
  /** The tenant of a token that may read every tenant. */
  public static final String ALL_TENANTS = "*";

  /** The exchange attribute that holds the authenticated caller's tenant. */
  static final String TENANT_ATTRIBUTE = "expertflow.caller.tenant";

  private static final Pattern HASH = Pattern.compile("[0-9a-f]{64}");
  private static final Pattern TENANT = Pattern.compile("\\*|[^\\s:#]{1,128}");

  private final Map<String, String> tenantByHash;

  private CallerTokens(Map<String, String> tenantByHash) {
    this.tenantByHash = Map.copyOf(tenantByHash);
  }

  /** No authentication: every caller may read everything. */
  public static CallerTokens none() {
    return new CallerTokens(Map.of());
  }

  /**
   * Reads a tokens file ({@code tenant:sha256} lines; blank lines and {@code #} comments skipped).
   *
   * @throws IllegalArgumentException naming the file and line of a malformed entry, or if the file
   *     holds no token (an empty file would lock every caller out)
   */
  public static CallerTokens load(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalArgumentException(
          "cannot read the API tokens file " + file + ": " + e.getMessage(), e);
    }
    Map<String, String> byHash = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      int colon = line.lastIndexOf(':');
      String tenant = colon < 0 ? "" : line.substring(0, colon).strip();
      String hash = colon < 0 ? "" : line.substring(colon + 1).strip().toLowerCase();
      if (!TENANT.matcher(tenant).matches() || !HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": expected 'tenant:sha256-of-token' (64 hex digits; tenant '*' reads every"
                + " tenant); 'expertflow token create --tenant T --file "
                + file
                + "' writes one");
      }
      if (byHash.putIfAbsent(hash, tenant) != null) {
        throw new IllegalArgumentException(
            file + " line " + (i + 1) + ": this token is already listed above");
      }
    }
    if (byHash.isEmpty()) {
      throw new IllegalArgumentException(
          "the API tokens file " + file + " lists no token; every caller would be refused");
    }
    return new CallerTokens(byHash);
  }

  /** Whether callers must present a token. */
  public boolean enabled() {
    return !tenantByHash.isEmpty();
  }

  /** The tenant of {@code authorization} ({@code Bearer <token>}), if the token is known. */
  public Optional<String> tenantOf(String authorization) {
    if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return Optional.empty();
    }
    String token = authorization.substring(7).strip();
    return token.isEmpty() ? Optional.empty() : Optional.ofNullable(tenantByHash.get(hash(token)));
  }

  /** The SHA-256 of a token, in hex: what the tokens file holds. */
  public static String hash(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** A new random token: 32 bytes from a strong source, URL-safe Base64. */
  public static String newToken() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /**
   * Whether a caller of {@code callerTenant} (null: authentication off) may read what belongs to
   * {@code tenant}.
   */
  public static boolean mayRead(String callerTenant, String tenant) {
    return callerTenant == null || ALL_TENANTS.equals(callerTenant) || callerTenant.equals(tenant);
  }

  /** The authenticated caller's tenant, or null when authentication is off. */
  public static String callerTenant(HttpExchange exchange) {
    Object tenant = exchange.getAttribute(TENANT_ATTRIBUTE);
    return tenant == null ? null : tenant.toString();
  }

  /** A filter that refuses callers without a known token (401) and records the caller's tenant. */
  Filter filter() {
    return new Filter() {
      @Override
      public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        if (!enabled()) {
          chain.doFilter(exchange);
          return;
        }
        Optional<String> tenant = tenantOf(exchange.getRequestHeaders().getFirst("Authorization"));
        if (tenant.isEmpty()) {
          try (exchange) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"expertflow\"");
            JsonResponses.send(
                exchange,
                401,
                JsonResponses.error(
                    "a bearer token is needed (Authorization: Bearer <token>); the token is"
                        + " missing or unknown",
                    "path",
                    exchange.getRequestURI().getRawPath()));
          }
          return;
        }
        exchange.setAttribute(TENANT_ATTRIBUTE, tenant.get());
        chain.doFilter(exchange);
      }

      @Override
      public String description() {
        return "bearer tokens";
      }
    };
  }
}
