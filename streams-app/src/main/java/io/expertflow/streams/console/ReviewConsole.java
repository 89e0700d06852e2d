package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import io.expertflow.memory.Neighbour;
import io.expertflow.streams.review.ReviewDecisionWriter;
import io.expertflow.streams.review.ReviewItem;
import io.expertflow.streams.review.ReviewQueue;
import io.expertflow.streams.review.ReviewVerdictRequest;
import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The console's review pages: the queue of answers waiting for a person ({@code review}) and a
 * reviewer's decision on one ({@code review/decide}, POST), which it writes for the review topology
 * to apply. Thread-safe.
 */
final class ReviewConsole {
  /** The cookie that remembers the reviewer's name in the browser. */
  static final String REVIEWER_COOKIE = "expertflow_reviewer";

  private final Supplier<ReviewQueue> review;
  private final ReviewDecisionWriter writer;
  private final Function<String, List<Neighbour>> evidence;

  /**
   * @param review the review queue (null while the review topology does not run here)
   * @param writer writes reviewers' decisions
   * @param evidence a request's nearest earlier documents, shown beside a review item
   */
  ReviewConsole(
      Supplier<ReviewQueue> review,
      ReviewDecisionWriter writer,
      Function<String, List<Neighbour>> evidence) {
    this.review = review;
    this.writer = writer;
    this.evidence = evidence;
  }

  void queue(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    ReviewQueue queue = review.get();
    if (queue == null) {
      ConsoleResponses.unavailable(
          exchange, "Review queue", "the review topology does not run on this instance");
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
      ConsoleResponses.unavailable(exchange, "Review queue", e.getMessage());
    }
  }

  void decide(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
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
      ConsoleResponses.unavailable(
          exchange, "Review queue", "the review topology does not run on this instance");
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
                  + "; Path=/console; SameSite=Strict; HttpOnly"
                  + SignIn.secure(exchange));
      ConsoleResponses.redirect(
          exchange,
          "/console/review?decided="
              + Html.url(request.item().requestId())
              + "&verdict="
              + request.verdict().name());
    } catch (IllegalArgumentException e) {
      bad(exchange, e.getMessage()); // a form too large to read
    } catch (ReviewQueue.Unavailable e) {
      ConsoleResponses.unavailable(exchange, "Review queue", e.getMessage());
    } catch (ReviewDecisionWriter.ReviewWriteException e) {
      ConsoleResponses.unavailable(exchange, "Decision not recorded", e.getMessage());
    }
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
}
