package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.jobs.export.ExportFormat;
import io.expertflow.streams.jobs.export.ExportSpill;
import io.expertflow.streams.jobs.export.JobExport;
import io.expertflow.streams.status.CallerTokens;
import io.expertflow.streams.status.JsonResponses;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /v1/jobs/{id}/export?format=jsonl|csv}: the job's answers, one line per
 * document in submission order, exactly as {@code expertflow job export} writes them ({@link
 * JobExport}, bounded memory, spill files in the system's temporary folder). The export reads whole
 * topics, so one reads them at a time (429 otherwise; the next may start while the last one's
 * answer is still being written) and, as long as there is no authentication, only for callers on
 * the loopback interface. The body streams (chunked) once the topics are read; 404 when nothing of
 * the job was found. Thread-safe.
 */
public final class JobExportHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JobExportHandler.class);

  /** What a topic read past the scan timeout says over HTTP, which has no flag to raise it. */
  static final String TOO_SLOW =
      "; the export over HTTP gives each topic that long: export a job this large with"
          + " 'expertflow job export ID --scan-timeout DURATION'";

  private final Map<String, Object> clientProperties;
  private final SchemaRegistryClient registry;
  private final TopicNames topics;
  private final Duration scanTimeout;
  private final Semaphore running = new Semaphore(1);

  public JobExportHandler(
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration scanTimeout) {
    this.clientProperties = clientProperties;
    this.registry = registry;
    this.topics = topics;
    this.scanTimeout = scanTimeout;
  }

  /**
   * An error answer: JSON ({@code {"error": ...}}) on the API's path, as every {@code /v1/} answer
   * is; a line of text on the console's, where a browser shows it.
   */
  private static void refuse(HttpExchange exchange, int status, String message) throws IOException {
    if (exchange.getRequestURI().getRawPath().startsWith("/v1/")) {
      JsonResponses.send(exchange, status, JsonResponses.error(message, "job_id", null));
    } else {
      ConsoleResponses.text(exchange, status, message);
    }
  }

  /** Answers the export of {@code jobId} on {@code exchange} (which the caller closes). */
  public void handle(HttpExchange exchange, String jobId) throws IOException {
    // a caller the API's tokens authenticated may export from anywhere; without tokens, loopback
    var refused = ConsoleAccess.refusal(exchange, CallerTokens.callerTenant(exchange) != null);
    if (refused.isPresent()) {
      refuse(exchange, 403, refused.get());
      return;
    }
    if (!"GET".equals(exchange.getRequestMethod())) {
      exchange.getResponseHeaders().add("Allow", "GET");
      refuse(exchange, 405, "method not allowed; use GET");
      return;
    }
    FormData query = FormData.parse(exchange.getRequestURI().getRawQuery());
    ExportFormat format;
    try {
      format = ExportFormat.of(query.get("format") == null ? "jsonl" : query.get("format"));
    } catch (IllegalArgumentException e) {
      refuse(exchange, 400, e.getMessage());
      return;
    }
    if (!running.tryAcquire()) {
      exchange.getResponseHeaders().add("Retry-After", "10");
      refuse(exchange, 429, "another export runs now; try again when it is done");
      return;
    }
    Path work = null;
    boolean held = true;
    try {
      work = Files.createTempDirectory("expertflow-export-");
      String extension = format == ExportFormat.CSV ? "csv" : "jsonl";
      exchange
          .getResponseHeaders()
          .set(
              "Content-Type",
              format == ExportFormat.CSV
                  ? "text/csv; charset=utf-8"
                  : "application/x-ndjson; charset=utf-8");
      exchange
          .getResponseHeaders()
          .set(
              "Content-Disposition",
              "attachment; filename=\""
                  + jobId.replaceAll("[^A-Za-z0-9._-]", "_")
                  + "."
                  + extension
                  + "\"");
      DeferredBody body = new DeferredBody(exchange);
      ExportSpill.Summary summary =
          new JobExport(clientProperties, registry, topics, scanTimeout, TOO_SLOW)
              .export(jobId, format, body, work);
      // the topics are read: let the next export start before this answer ends, so that a
      // caller who has read this one to its end is never refused because of it
      running.release();
      held = false;
      if (summary.documents() == 0 && !body.started()) { // nothing, or a CSV header alone
        exchange.getResponseHeaders().remove("Content-Disposition");
        refuse(exchange, 404, "unknown job " + jobId + ": no request of it was found");
        return;
      }
      body.finish();
      LOG.info("exported job {} over HTTP: {} document(s)", jobId, summary.documents());
    } catch (RuntimeException e) {
      LOG.warn("export of job {} failed: {}", jobId, e.toString());
      if (exchange.getResponseCode() < 0) {
        refuse(exchange, 503, "the export failed: " + e.getMessage());
      }
    } finally {
      if (held) {
        running.release();
      }
      if (work != null) {
        deleteTree(work);
      }
    }
  }

  /**
   * Holds the first {@value #HOLD_CHARS} characters before it sends the headers (200, chunked), so
   * an export that fails while reading the topics, or finds nothing of the job (a CSV header
   * alone), can still answer with another status; {@link #finish} sends what is held and closes the
   * exchange's body.
   */
  private static final class DeferredBody extends Writer {
    static final int HOLD_CHARS = 64 * 1024;

    private final HttpExchange exchange;
    private final StringBuilder held = new StringBuilder();
    private Writer out;

    DeferredBody(HttpExchange exchange) {
      this.exchange = exchange;
    }

    boolean started() {
      return out != null;
    }

    private void start() throws IOException {
      exchange.sendResponseHeaders(200, 0);
      out =
          new BufferedWriter(
              new OutputStreamWriter(exchange.getResponseBody(), StandardCharsets.UTF_8),
              HOLD_CHARS);
      out.append(held);
      held.setLength(0);
    }

    @Override
    public void write(char[] buf, int off, int len) throws IOException {
      if (out != null) {
        out.write(buf, off, len);
        return;
      }
      held.append(buf, off, len);
      if (held.length() > HOLD_CHARS) {
        start();
      }
    }

    @Override
    public void flush() throws IOException {
      if (out != null) {
        out.flush();
      }
    }

    /** Sends what is held (starting the response if it has not started) and ends the body. */
    void finish() throws IOException {
      if (out == null) {
        start();
      }
      out.close();
    }

    @Override
    public void close() throws IOException {
      finish();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
