package io.expertflow.schemas.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's tracing: OpenTelemetry spans exported over OTLP/HTTP when an endpoint is set
 * ({@code OTEL_EXPORTER_OTLP_ENDPOINT}, or {@code -Dotel.exporter.otlp.endpoint}), and a no-op
 * tracer otherwise, which costs nothing. Spans continue the W3C {@code traceparent} a client put on
 * its Kafka record. Span attributes never carry document text. Thread-safe; {@link #close()}
 * flushes what is buffered.
 */
public final class Tracing implements AutoCloseable {
  /** Where traces go: an OTLP/HTTP collector's base URL, e.g. {@code http://otel:4318}. */
  public static final String ENDPOINT_ENV = "OTEL_EXPORTER_OTLP_ENDPOINT";

  /** The same as a system property. */
  public static final String ENDPOINT_PROPERTY = "otel.exporter.otlp.endpoint";

  /** The W3C trace-context header, on Kafka records as on HTTP requests. */
  public static final String TRACEPARENT = "traceparent";

  public static final AttributeKey<String> REQUEST_ID =
      AttributeKey.stringKey("expertflow.request_id");
  public static final AttributeKey<String> TENANT = AttributeKey.stringKey("expertflow.tenant");

  private static final Logger LOG = LoggerFactory.getLogger(Tracing.class);
  private static final TextMapGetter<Map<String, String>> GETTER =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(Map<String, String> carrier) {
          return carrier.keySet();
        }

        @Override
        public String get(Map<String, String> carrier, String key) {
          return carrier == null ? null : carrier.get(key);
        }
      };
  private static final TextMapSetter<Map<String, String>> SETTER = Map::put;

  private final OpenTelemetry otel;
  private final OpenTelemetrySdk sdk;
  private final Tracer tracer;

  private Tracing(OpenTelemetry otel, OpenTelemetrySdk sdk, String component) {
    this.otel = otel;
    this.sdk = sdk;
    this.tracer = otel.getTracer("io.expertflow." + component);
  }

  /** No spans at all. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), null, "off");
  }

  /** Tracing as the environment says: OTLP when an endpoint is set, else {@link #off()}. */
  public static Tracing fromEnvironment(String component) {
    String endpoint = System.getProperty(ENDPOINT_PROPERTY, System.getenv(ENDPOINT_ENV));
    if (endpoint == null || endpoint.isBlank()) {
      return off();
    }
    String base = endpoint.endsWith("/") ? endpoint.substring(0, endpoint.length() - 1) : endpoint;
    LOG.info("tracing: spans of {} go to {}/v1/traces (OTLP/HTTP)", component, base);
    return new Tracing(
        component,
        BatchSpanProcessor.builder(
                OtlpHttpSpanExporter.builder().setEndpoint(base + "/v1/traces").build())
            .build());
  }

  /** Tracing into {@code exporter}, each span exported as it ends (tests, or a custom exporter). */
  public static Tracing to(SpanExporter exporter, String component) {
    return new Tracing(component, SimpleSpanProcessor.create(exporter));
  }

  private Tracing(String component, SpanProcessor processor) {
    this(sdk(component, processor), component);
  }

  private Tracing(OpenTelemetrySdk sdk, String component) {
    this(sdk, sdk, component);
  }

  private static OpenTelemetrySdk sdk(String component, SpanProcessor processor) {
    return OpenTelemetrySdk.builder()
        .setTracerProvider(
            SdkTracerProvider.builder()
                .setResource(
                    Resource.getDefault()
                        .merge(
                            Resource.create(
                                Attributes.of(
                                    AttributeKey.stringKey("service.name"),
                                    "expertflow-" + component))))
                .addSpanProcessor(processor)
                .build())
        .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
        .build();
  }

  /** Whether spans are recorded and exported at all. */
  public boolean enabled() {
    return sdk != null;
  }

  public Tracer tracer() {
    return tracer;
  }

  /** The context a {@code traceparent} value names (the root context when null or malformed). */
  public static Context parent(String traceparent) {
    if (traceparent == null) {
      return Context.root();
    }
    return W3CTraceContextPropagator.getInstance()
        .extract(Context.root(), Map.of(TRACEPARENT, traceparent), GETTER);
  }

  /** The span context a {@code traceparent} names, if valid. */
  public static Optional<SpanContext> spanContext(String traceparent) {
    SpanContext c = Span.fromContext(parent(traceparent)).getSpanContext();
    return c.isValid() ? Optional.of(c) : Optional.empty();
  }

  /** The {@code traceparent} of {@code span}, to put on an outgoing record; null if invalid. */
  public static String traceparent(Span span) {
    if (!span.getSpanContext().isValid()) {
      return null;
    }
    Map<String, String> carrier = new HashMap<>();
    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), carrier, SETTER);
    return carrier.get(TRACEPARENT);
  }

  /** Links from a batch span to each of its items' spans (valid ones). */
  public static List<SpanContext> valid(List<SpanContext> contexts) {
    return contexts.stream().filter(SpanContext::isValid).toList();
  }

  /** Flushes and stops the exporter. Idempotent. */
  @Override
  public void close() {
    if (sdk != null) {
      sdk.getSdkTracerProvider().forceFlush().join(10, TimeUnit.SECONDS);
      sdk.close();
    }
  }

  /** The OpenTelemetry instance (for libraries that take one). */
  public OpenTelemetry openTelemetry() {
    return otel;
  }
}
