package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.expertflow.memory.Neighbour;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.jobs.JobCounts;
import io.expertflow.streams.jobs.JobLookup;
import io.expertflow.streams.review.ReviewDecisionWriter;
import io.expertflow.streams.review.ReviewItem;
import io.expertflow.streams.review.ReviewQueue;
import io.expertflow.streams.review.ReviewVerdictRequest;
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

  /** The cookie that remembers the reviewer's name in the browser. */
  static final String REVIEWER_COOKIE = "expertflow_reviewer";

  private static final Logger LOG = LoggerFactory.getLogger(ConsoleHandler.class);

  private final JobSource jobs;
  private final Supplier<ReviewQueue> review;
  private final ReviewDecisionWriter writer;
  private final ModelVersionReader versions;
  private final Function<String, List<Neighbour>> evidence;
  private final CallerTokens tokens;
  private final VersionRollbacks rollbacks;

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
    this.evidence = evidence;
    this.tokens = tokens;
    this.rollbacks = rollbacks;
    this.jobs = jobs;
    this.review = review;
    this.writer = writer;
    this.versions = versions;
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
        decide(exchange, caller);
        return;
      }
      if (rest.equals("/versions/rollback")) {
        if (!"POST".equals(method)) {
          exchange.getResponseHeaders().add("Allow", "POST");
          ConsoleResponses.error(
              exchange, 405, "Method not allowed", "Use the form.", "/console/versions");
          return;
        }
        rollback(exchange, caller);
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
        queue(exchange, caller);
      } else if (rest.equals("/versions")) {
        versions(exchange, caller);
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
      unavailable(exchange, "Jobs", e.getMessage());
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
      unavailable(exchange, "Job " + id, e.getMessage());
    }
  }

  private void queue(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    ReviewQueue queue = review.get();
    if (queue == null) {
      unavailable(exchange, "Review queue", "the review topology does not run on this instance");
      return;
    }
    FormData query = FormData.parse(exchange.getRequestURI().getRawQuery());
    String decided = query.get("decided");
    String message =
        decided == null
            ? null
            : "Recorded: "
                + Optional.ofNullable(query.get("verdict")).orElse("a decision")
                + " on "
                + decided
                + ". It leaves the queue as soon as the review topology reads it.";
    try {
      ReviewQueue.Page all = queue.pending(query.get("after"), ReviewPages.PAGE);
      List<ReviewItem> mine = all.items().stream().filter(i -> caller.reads(i.tenant())).toList();
      ReviewQueue.Page page =
          mine.size() == all.items().size()
              ? all
              : new ReviewQueue.Page(mine, all.nextAfter(), mine.size(), all.nextAfter() != null);
      ConsoleResponses.html(
          exchange,
          200,
          ReviewPages.queue(
              page,
              item -> DecisionForm.labelsFor(queue, item),
              item -> evidence.apply(item.requestId()),
              reviewer(exchange),
              message,
              decided,
              caller.may(CallerTokens.Role.REVIEWER)));
    } catch (ReviewQueue.Unavailable e) {
      unavailable(exchange, "Review queue", e.getMessage());
    }
  }

  private void decide(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    if (!caller.may(CallerTokens.Role.REVIEWER)) {
      ConsoleResponses.error(
          exchange,
          403,
          "Decision not recorded",
          "Your token's role is reader: it may look at the queue, not decide.",
          "/console/review");
      return;
    }
    ReviewQueue queue = review.get();
    if (queue == null) {
      unavailable(exchange, "Review queue", "the review topology does not run on this instance");
      return;
    }
    try {
      DecisionForm.Checked checked =
          DecisionForm.check(FormData.read(exchange.getRequestBody()), queue);
      if (checked instanceof DecisionForm.Invalid invalid) {
        bad(exchange, invalid.message());
        return;
      }
      ReviewVerdictRequest request = ((DecisionForm.Valid) checked).request();
      if (!caller.reads(request.item().tenant())) {
        bad(exchange, "No request " + request.item().requestId() + " waits for review.");
        return;
      }
      writer.write(request);
      exchange
          .getResponseHeaders()
          .add(
              "Set-Cookie",
              REVIEWER_COOKIE
                  + "="
                  + Html.url(request.reviewer())
                  + "; Path=/console; SameSite=Strict; HttpOnly");
      ConsoleResponses.redirect(
          exchange,
          "/console/review?decided="
              + Html.url(request.item().requestId())
              + "&verdict="
              + request.verdict().name());
    } catch (IllegalArgumentException e) {
      bad(exchange, e.getMessage()); // a form too large to read
    } catch (ReviewQueue.Unavailable e) {
      unavailable(exchange, "Review queue", e.getMessage());
    } catch (ReviewDecisionWriter.ReviewWriteException e) {
      unavailable(exchange, "Decision not recorded", e.getMessage());
    }
  }

  private void versions(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    FormData query = FormData.parse(exchange.getRequestURI().getRawQuery());
    String rolled = query.get("rolled");
    try {
      ConsoleResponses.html(
          exchange,
          200,
          VersionPages.page(
              versions.read(),
              rollbacks != null && caller.may(CallerTokens.Role.OPERATOR),
              rolled == null
                  ? null
                  : "Rolled back: "
                      + query.get("model")
                      + " now serves "
                      + rolled
                      + "; every worker switches between batches."));
    } catch (RuntimeException e) {
      unavailable(
          exchange, "Model versions", "cannot read the model versions now: " + e.getMessage());
    }
  }

  private void rollback(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    if (rollbacks == null || !caller.may(CallerTokens.Role.OPERATOR)) {
      ConsoleResponses.error(
          exchange,
          403,
          "Not rolled back",
          rollbacks == null
              ? "This streams app cannot roll back; use expertflow versions rollback."
              : "Rolling back needs a token with the operator role.",
          "/console/versions");
      return;
    }
    FormData form;
    try {
      form = FormData.read(exchange.getRequestBody());
    } catch (IllegalArgumentException e) {
      ConsoleResponses.error(exchange, 400, "Not rolled back", e.getMessage(), "/console/versions");
      return;
    }
    String model = form.get("model");
    String version = form.get("version");
    String reason = form.get("reason");
    if (model == null || version == null || reason == null || reason.isBlank()) {
      ConsoleResponses.error(
          exchange,
          400,
          "Not rolled back",
          "Give the model, the version and a reason.",
          "/console/versions");
      return;
    }
    String served;
    try {
      served = rollbacks.rollback(model, version, reason.strip() + " (console)");
    } catch (IllegalArgumentException | IllegalStateException e) {
      ConsoleResponses.error(exchange, 400, "Not rolled back", e.getMessage(), "/console/versions");
      return;
    }
    LOG.info("console: model {} rolled back to {} by an operator", model, served);
    ConsoleResponses.redirect(
        exchange, "/console/versions?model=" + Html.url(model) + "&rolled=" + Html.url(served));
  }

  /** The reviewer's name remembered in this browser, or null. */
  static String reviewer(HttpExchange exchange) {
    for (String header : exchange.getRequestHeaders().getOrDefault("Cookie", List.of())) {
      for (String part : header.split(";")) {
        String p = part.trim();
        if (p.startsWith(REVIEWER_COOKIE + "=")) {
          return URLDecoder.decode(
              p.substring(REVIEWER_COOKIE.length() + 1), StandardCharsets.UTF_8);
        }
      }
    }
    return null;
  }

  private static void bad(HttpExchange exchange, String message) throws IOException {
    ConsoleResponses.error(exchange, 400, "Decision not recorded", message, "/console/review");
  }

  private static void unavailable(HttpExchange exchange, String title, String reason)
      throws IOException {
    exchange.getResponseHeaders().add("Retry-After", "1");
    ConsoleResponses.error(exchange, 503, title, "Not available now: " + reason, null);
  }
}
