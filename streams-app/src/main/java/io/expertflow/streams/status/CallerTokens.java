package io.expertflow.streams.status;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.expertflow.schemas.errors.ErrorText;
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
import java.util.Locale;
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

  /** What a token may do beyond reading its tenant's requests and jobs. */
  public enum Role {
    /** Reads its tenant's requests, jobs and review queue; decides nothing. */
    READER,
    /** Also decides review items in the console (approve, block, correct). */
    REVIEWER,
    /** Also rolls the served model version back in the console. */
    OPERATOR
  }

  /** An authenticated caller: its tenant ({@link #ALL_TENANTS} for every tenant) and its role. */
  public record Caller(String tenant, Role role) {
    /** The caller when authentication is off (loopback console, open API): everything. */
    public static final Caller UNAUTHENTICATED = new Caller(ALL_TENANTS, Role.OPERATOR);

    /** Whether this caller's role is {@code least} or above. */
    public boolean may(Role least) {
      return role.compareTo(least) >= 0;
    }

    /** Whether this caller may read what belongs to {@code owner}. */
    public boolean reads(String owner) {
      return mayRead(tenant, owner);
    }
  }

  /** The console's sign-in cookie: holds a token, accepted under {@code /v1/} as well. */
  public static final String CONSOLE_COOKIE = "expertflow_console";

  private final Map<String, Caller> callerByHash;
  private final Map<String, String> tenantByHash;

  private CallerTokens(Map<String, Caller> callerByHash) {
    this.callerByHash = Map.copyOf(callerByHash);
    Map<String, String> tenants = new LinkedHashMap<>();
    callerByHash.forEach((hash, caller) -> tenants.put(hash, caller.tenant()));
    this.tenantByHash = Map.copyOf(tenants);
  }

  /** No authentication: every caller may read everything. */
  public static CallerTokens none() {
    return new CallerTokens(Map.of());
  }

  /**
   * Reads a tokens file ({@code tenant:sha256} or {@code tenant:sha256:role} lines, role {@code
   * reader}, {@code reviewer} (the default) or {@code operator}; blank lines and {@code #} comments
   * skipped).
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
          "cannot read the API tokens file " + file + ": " + ErrorText.of(e), e);
    }
    Map<String, Caller> byHash = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String[] parts = line.split(":", -1);
      String tenant = parts.length >= 2 ? parts[0].strip() : "";
      String hash = parts.length >= 2 ? parts[1].strip().toLowerCase(Locale.ROOT) : "";
      Role role = parts.length == 3 ? role(parts[2].strip()) : Role.REVIEWER;
      if (parts.length > 3
          || role == null
          || !TENANT.matcher(tenant).matches()
          || !HASH.matcher(hash).matches()) {
        throw new IllegalArgumentException(
            file
                + " line "
                + (i + 1)
                + ": expected 'tenant:sha256-of-token' or 'tenant:sha256-of-token:role' (64 hex"
                + " digits; tenant '*' reads every tenant; role reader, reviewer or operator);"
                + " 'expertflow token create --tenant T --file "
                + file
                + "' writes one");
      }
      if (byHash.putIfAbsent(hash, new Caller(tenant, role)) != null) {
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

  private static Role role(String text) {
    for (Role r : Role.values()) {
      if (r.name().equalsIgnoreCase(text)) {
        return r;
      }
    }
    return null;
  }

  /** Whether callers must present a token. */
  public boolean enabled() {
    return !tenantByHash.isEmpty();
  }

  /**
   * The caller holding {@code token}: {@link Caller#UNAUTHENTICATED} when authentication is off,
   * empty when the token is unknown.
   */
  public Optional<Caller> callerOfToken(String token) {
    if (!enabled()) {
      return Optional.of(Caller.UNAUTHENTICATED);
    }
    return token == null || token.isBlank()
        ? Optional.empty()
        : Optional.ofNullable(callerByHash.get(hash(token.strip())));
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

  /** The token in the console's sign-in cookie, if the request carries one. */
  public static Optional<String> consoleCookie(HttpExchange exchange) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(CONSOLE_COOKIE + "=") && p.length() > CONSOLE_COOKIE.length() + 1) {
          return Optional.of(p.substring(CONSOLE_COOKIE.length() + 1));
        }
      }
    }
    return Optional.empty();
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
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        Optional<String> tenant =
            authorization != null
                ? tenantOf(authorization)
                : consoleCookie(exchange)
                    .flatMap(CallerTokens.this::callerOfToken)
                    .map(Caller::tenant);
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
