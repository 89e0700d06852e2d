package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.expertflow.memory.Neighbour;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.jobs.JobCounts;
import io.expertflow.streams.jobs.JobLookup;
import io.expertflow.streams.review.ReviewDecisionWriter;
import io.expertflow.streams.review.ReviewQueue;
import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the console under {@link #PATH}: {@code jobs}, {@code jobs/{id}}, {@code review}, {@code
 * review/decide} (POST) and {@code versions}. Every request is first checked by {@link
 * ConsoleAccess} (403 with the reason otherwise). Bad input gets a 400 page that says what to fix.
 * Runs on the HTTP server's threads; thread-safe.
 */
public final class ConsoleHandler implements HttpHandler {
  /** The console's path prefix. */
  public static final String PATH = "/console";

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

  private final JobSource jobs;
  private final ReviewConsole review;
  private final VersionsConsole versions;
  private final CallerTokens tokens;

  /**
   * @param jobs the job figures (null while the jobs topology does not run here)
   * @param review the review queue (null while the review topology does not run here)
   * @param writer writes reviewers' decisions
   * @param versions reads the model versions
   * @param evidence a request's nearest earlier documents (the document memory), shown beside a
   *     review item; empty when the memory is off
   * @param tokens the API's tokens: when enabled, the console signs callers in with them
   * @param rollbacks rolls a model back for an operator; null: rollback stays on the command line
   */
  ConsoleHandler(
      JobSource jobs,
      Supplier<ReviewQueue> review,
      ReviewDecisionWriter writer,
      ModelVersionReader versions,
      Function<String, List<Neighbour>> evidence,
      CallerTokens tokens,
      VersionRollbacks rollbacks) {
    this.tokens = tokens;
    this.jobs = jobs;
    this.review = new ReviewConsole(review, writer, evidence);
    this.versions = new VersionsConsole(versions, rollbacks);
  }

  /**
   * The console of a streams app instance.
   *
   * @param jobs the current job lookup (null while the jobs topology does not run here)
   * @param review the current review queue (null while the review topology does not run here)
   * @param writer writes reviewers' decisions
   * @param clientProperties Kafka connection settings, to read the model versions
   */
  public static ConsoleHandler create(
      Supplier<JobLookup> jobs,
      Supplier<ReviewQueue> review,
      ReviewDecisionWriter writer,
      Map<String, Object> clientProperties,
      SchemaRegistryClient registry,
      TopicNames topics,
      Duration timeout,
      Function<String, List<Neighbour>> evidence,
      CallerTokens tokens,
      VersionRollbacks rollbacks) {
    return new ConsoleHandler(
        new JobSource(jobs, timeout),
        review,
        writer,
        new ModelVersionReader(clientProperties, registry, topics.modelVersions(), timeout),
        evidence,
        tokens,
        rollbacks);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Optional<String> refused = ConsoleAccess.refusal(exchange, tokens.enabled());
      if (refused.isPresent()) {
        ConsoleResponses.text(exchange, 403, refused.get());
        return;
      }
      String path = exchange.getRequestURI().getRawPath();
      String rest = path.length() <= PATH.length() ? "" : path.substring(PATH.length());
      String method = exchange.getRequestMethod();
      if (tokens.enabled()) {
        exchange.setAttribute(ConsoleResponses.AUTHENTICATING, Boolean.TRUE);
        if (rest.equals("/signin")) {
          SignIn.handle(exchange, tokens);
          return;
        }
        if (rest.equals("/signout")) {
          SignIn.signOut(exchange);
          return;
        }
      }
      Optional<CallerTokens.Caller> signedIn = SignIn.caller(exchange, tokens);
      if (signedIn.isEmpty()) {
        if ("GET".equals(method)) {
          ConsoleResponses.redirect(exchange, "/console/signin");
        } else {
          ConsoleResponses.error(
              exchange, 401, "Not signed in", "Sign in first.", "/console/signin");
        }
        return;
      }
      CallerTokens.Caller caller = signedIn.get();
      exchange.setAttribute(ConsoleResponses.CALLER, caller);
      if (rest.equals("/review/decide")) {
        if (!"POST".equals(method)) {
          exchange.getResponseHeaders().add("Allow", "POST");
          ConsoleResponses.error(
              exchange,
              405,
              "Method not allowed",
              "Decisions are sent with POST.",
              "/console/review");
          return;
        }
        review.decide(exchange, caller);
        return;
      }
      if (rest.equals("/versions/rollback")) {
        if (!"POST".equals(method)) {
          exchange.getResponseHeaders().add("Allow", "POST");
          ConsoleResponses.error(
              exchange, 405, "Method not allowed", "Use the form.", "/console/versions");
          return;
        }
        versions.rollback(exchange, caller);
        return;
      }
      if (!"GET".equals(method)) {
        exchange.getResponseHeaders().add("Allow", "GET");
        ConsoleResponses.error(exchange, 405, "Method not allowed", "Use GET.", "/console/jobs");
        return;
      }
      if (rest.isEmpty() || rest.equals("/")) {
        ConsoleResponses.redirect(exchange, "/console/review");
      } else if (rest.equals("/jobs")) {
        jobList(exchange, caller);
      } else if (rest.startsWith("/jobs/") && rest.length() > 6 && rest.indexOf('/', 6) < 0) {
        job(exchange, URLDecoder.decode(rest.substring(6), StandardCharsets.UTF_8), caller);
      } else if (rest.equals("/review")) {
        review.queue(exchange, caller);
      } else if (rest.equals("/versions")) {
        versions.page(exchange, caller);
      } else {
        ConsoleResponses.error(
            exchange, 404, "Not found", "There is no console page " + path + ".", "/console/jobs");
      }
    } catch (RuntimeException e) {
      LOG.error("console failed on {}", exchange.getRequestURI().getRawPath(), e);
      if (exchange.getResponseCode() < 0) {
        ConsoleResponses.error(
            exchange,
            500,
            "Console error",
            "The console failed on this page ("
                + e.getClass().getSimpleName()
                + "); the streams"
                + " app's log has the details.",
            "/console/jobs");
      }
    }
  }

  private void jobList(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    try {
      ConsoleResponses.html(
          exchange,
          200,
          JobPages.list(jobs.all().stream().filter(j -> caller.reads(j.tenant())).toList()));
    } catch (JobSource.Unavailable e) {
      ConsoleResponses.unavailable(exchange, "Jobs", e.getMessage());
    }
  }

  private void job(HttpExchange exchange, String id, CallerTokens.Caller caller)
      throws IOException {
    try {
      JobCounts job = jobs.one(id);
      // another tenant's job answers as an unknown one: its id cannot be probed
      if (job == null || !caller.reads(job.tenant())) {
        ConsoleResponses.error(
            exchange, 404, "Unknown job", "No instance knows the job " + id + ".", "/console/jobs");
        return;
      }
      ConsoleResponses.html(exchange, 200, JobPages.one(job));
    } catch (JobSource.Unavailable e) {
      ConsoleResponses.unavailable(exchange, "Job " + id, e.getMessage());
    }
  }
}
