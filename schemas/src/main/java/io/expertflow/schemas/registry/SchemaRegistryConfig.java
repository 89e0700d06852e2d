package io.expertflow.schemas.registry;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Immutable settings of a {@link HttpSchemaRegistryClient}. The property keys are those that
 * Confluent's serializers use, so an existing client configuration works unchanged.
 */
public final class SchemaRegistryConfig {
  /** Comma-separated base URLs, e.g. {@code http://localhost:8081}; tried in order. */
  public static final String URL = "schema.registry.url";

  /** {@code USER_INFO} to send {@link #BASIC_AUTH_USER_INFO} as HTTP basic auth. */
  public static final String BASIC_AUTH_CREDENTIALS_SOURCE = "basic.auth.credentials.source";

  /** {@code user:password} for HTTP basic auth. */
  public static final String BASIC_AUTH_USER_INFO = "basic.auth.user.info";

  /** {@code STATIC_TOKEN} to send {@link #BEARER_AUTH_TOKEN} as a bearer token. */
  public static final String BEARER_AUTH_CREDENTIALS_SOURCE = "bearer.auth.credentials.source";

  /** A static bearer token. */
  public static final String BEARER_AUTH_TOKEN = "bearer.auth.token";

  /** Timeout of one HTTP request in milliseconds. */
  public static final String REQUEST_TIMEOUT_MS = "schema.registry.request.timeout.ms";

  /** How many times a request is retried after a connection error, a 5xx or a 429. */
  public static final String MAX_RETRIES = "schema.registry.max.retries";

  /** First retry backoff in milliseconds; doubles per attempt up to 2 s. */
  public static final String RETRY_BACKOFF_MS = "schema.registry.retry.backoff.ms";

  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
  public static final int DEFAULT_MAX_RETRIES = 3;
  public static final Duration DEFAULT_RETRY_BACKOFF = Duration.ofMillis(200);
  public static final Duration MAX_RETRY_BACKOFF = Duration.ofSeconds(2);

  private final List<URI> urls;
  private final String basicAuthUserInfo;
  private final String bearerToken;
  private final Duration requestTimeout;
  private final int maxRetries;
  private final Duration retryBackoff;

  private SchemaRegistryConfig(Builder b) {
    if (b.urls.isEmpty()) {
      throw new IllegalArgumentException(
          "no schema registry URL: set " + URL + " (e.g. http://localhost:8081)");
    }
    this.urls = List.copyOf(b.urls);
    this.basicAuthUserInfo = b.basicAuthUserInfo;
    this.bearerToken = b.bearerToken;
    this.requestTimeout = Objects.requireNonNull(b.requestTimeout);
    this.maxRetries = b.maxRetries;
    this.retryBackoff = Objects.requireNonNull(b.retryBackoff);
    if (maxRetries < 0) {
      throw new IllegalArgumentException(MAX_RETRIES + " must be >= 0, was " + maxRetries);
    }
    if (basicAuthUserInfo != null && !basicAuthUserInfo.contains(":")) {
      throw new IllegalArgumentException(BASIC_AUTH_USER_INFO + " must be 'user:password'");
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A configuration from serializer-style properties (see the key constants). */
  public static SchemaRegistryConfig fromProperties(Map<String, ?> props) {
    Builder b = builder();
    Object url = props.get(URL);
    if (url == null || url.toString().isBlank()) {
      throw new IllegalArgumentException(
          "missing " + URL + ": the serdes need the schema registry's URL");
    }
    Arrays.stream(url.toString().split(","))
        .map(String::trim)
        .filter(s -> !s.isEmpty())
        .forEach(b::url);
    Object userInfo = props.get(BASIC_AUTH_USER_INFO);
    Object source = props.get(BASIC_AUTH_CREDENTIALS_SOURCE);
    if (userInfo != null && (source == null || "USER_INFO".equals(source.toString()))) {
      b.basicAuth(userInfo.toString());
    }
    Object token = props.get(BEARER_AUTH_TOKEN);
    if (token != null) {
      b.bearerToken(token.toString());
    }
    if (props.get(REQUEST_TIMEOUT_MS) != null) {
      b.requestTimeout(Duration.ofMillis(Long.parseLong(props.get(REQUEST_TIMEOUT_MS).toString())));
    }
    if (props.get(MAX_RETRIES) != null) {
      b.maxRetries(Integer.parseInt(props.get(MAX_RETRIES).toString()));
    }
    if (props.get(RETRY_BACKOFF_MS) != null) {
      b.retryBackoff(Duration.ofMillis(Long.parseLong(props.get(RETRY_BACKOFF_MS).toString())));
    }
    return b.build();
  }

  public List<URI> urls() {
    return urls;
  }

  public String basicAuthUserInfo() {
    return basicAuthUserInfo;
  }

  public String bearerToken() {
    return bearerToken;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public int maxRetries() {
    return maxRetries;
  }

  public Duration retryBackoff() {
    return retryBackoff;
  }

  /** Builder; {@link #url} is required. */
  public static final class Builder {
    private final List<URI> urls = new ArrayList<>();
    private String basicAuthUserInfo;
    private String bearerToken;
    private Duration requestTimeout = DEFAULT_REQUEST_TIMEOUT;
    private int maxRetries = DEFAULT_MAX_RETRIES;
    private Duration retryBackoff = DEFAULT_RETRY_BACKOFF;

    public Builder url(String url) {
      String u = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
      URI uri = URI.create(u);
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
        throw new IllegalArgumentException(
            "schema registry URL must start with http:// or https://, was '" + url + "'");
      }
      urls.add(uri);
      return this;
    }

    public Builder basicAuth(String userInfo) {
      this.basicAuthUserInfo = userInfo;
      return this;
    }

    public Builder bearerToken(String token) {
      this.bearerToken = token;
      return this;
    }

    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = timeout;
      return this;
    }

    public Builder maxRetries(int retries) {
      this.maxRetries = retries;
      return this;
    }

    public Builder retryBackoff(Duration backoff) {
      this.retryBackoff = backoff;
      return this;
    }

    public SchemaRegistryConfig build() {
      return new SchemaRegistryConfig(this);
    }
  }
}
