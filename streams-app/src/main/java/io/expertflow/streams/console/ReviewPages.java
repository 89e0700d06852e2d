package io.expertflow.streams.console;

import io.expertflow.memory.Neighbour;
import io.expertflow.streams.review.ReviewItem;
import io.expertflow.streams.review.ReviewQueue;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The review queue page. Stateless. */
final class ReviewPages {
  /** Items per page. */
  static final int PAGE = 50;

  private ReviewPages() {}

  /**
   * @param page the queue's items on this page
   * @param labels the labels a reviewer may choose for an item
   * @param evidence an item's nearest earlier documents from the document memory (empty: none)
   * @param reviewer the reviewer name to prefill (from the last decision in this browser)
   * @param message a line to show first (the decision just recorded), or null
   * @param hidden a request id to leave out (just decided; the queue learns it in a moment)
   * @param mayDecide whether the caller may decide (a reader only looks)
   */
  static String queue(
      ReviewQueue.Page page,
      Function<ReviewItem, List<String>> labels,
      Function<ReviewItem, List<Neighbour>> evidence,
      String reviewer,
      String message,
      String hidden,
      boolean mayDecide) {
    Html h = new Html().begin("Review queue", "review", null);
    if (message != null) {
      h.raw("<p class=\"ok\" role=\"status\">").text(message).raw("</p>");
    }
    List<ReviewItem> items =
        page.items().stream().filter(i -> !i.requestId().equals(hidden)).toList();
    long size = Math.max(0, page.size() - (items.size() < page.items().size() ? 1 : 0));
    h.raw("<p id=\"queue-size\">")
        .text(
            (page.sizeIsAtLeast() ? "At least " : "")
                + Html.number(size)
                + " response(s) wait for review, oldest answer first.")
        .raw("</p>");
    if (items.isEmpty()) {
      h.raw("<p>Nothing to review.</p>");
    }
    int n = 0;
    for (ReviewItem item : items) {
      item(h, item, labels.apply(item), evidence.apply(item), reviewer, n++, mayDecide);
    }
    if (page.nextAfter() != null) {
      h.raw("<p><a href=\"/console/review?after=")
          .raw(Html.esc(Html.url(page.nextAfter())))
          .raw("\">Next ")
          .text(PAGE)
          .raw("</a></p>");
    }
    return h.end();
  }

  private static void item(
      Html h,
      ReviewItem item,
      List<String> labels,
      List<Neighbour> evidence,
      String reviewer,
      int n,
      boolean mayDecide) {
    String id = "item-" + n;
    h.raw("<article aria-labelledby=\"")
        .raw(id)
        .raw("-title\" data-request-id=\"")
        .text(item.requestId())
        .raw("\"><h2 id=\"")
        .raw(id)
        .raw("-title\">")
        .text(item.requestId())
        .raw("</h2><table><tbody>");
    row(h, "Document", item.documentId());
    row(h, "Tenant", item.tenant());
    if (item.jobId() != null) {
      h.raw("<tr><th scope=\"row\">Job</th><td><a href=\"/console/jobs/")
          .raw(Html.esc(Html.url(item.jobId())))
          .raw("\">")
          .text(item.jobId())
          .raw("</a></td></tr>");
    }
    row(
        h,
        "Rule",
        !item.ruleKnown()
            ? "(not known yet)"
            : item.decidingRule() == null ? "(the rules' default)" : item.decidingRule());
    row(h, "Answered", Html.time(item.answeredAt()) + " (" + item.responseStatus() + ")");
    row(h, "Model", item.modelName() + " " + item.modelVersion());
    row(h, "Labels", labelsText(item));
    row(h, "Experts", expertsText(item));
    h.raw("</tbody></table>");
    if (!evidence.isEmpty()) {
      similar(h, id, evidence);
    }
    if (!mayDecide) {
      h.raw("<p>The text is shown to reviewers only (your token's role is reader).</p>");
    } else if (item.text() != null) {
      h.raw("<div class=\"text\" tabindex=\"0\" role=\"region\" aria-label=\"Text of ")
          .text(item.requestId())
          .raw("\">")
          .text(item.text())
          .raw("</div>");
    } else {
      h.raw("<p>The text is not available (the request was not seen on the requests topic).</p>");
    }
    if (!mayDecide) {
      h.raw("<p>Your token's role is reader: you may look at the queue, not decide.</p></article>");
      return;
    }
    h.raw("<form class=\"decide\" method=\"post\" action=\"/console/review/decide\">")
        .raw("<input type=\"hidden\" name=\"request_id\" value=\"")
        .text(item.requestId())
        .raw("\"><label for=\"")
        .raw(id)
        .raw("-reviewer\">Reviewer<input id=\"")
        .raw(id)
        .raw("-reviewer\" name=\"reviewer\" autocomplete=\"name\" value=\"")
        .text(reviewer == null ? "" : reviewer)
        .raw("\"></label><button type=\"submit\" name=\"decision\" value=\"APPROVED\">Approve")
        .raw("</button><button type=\"submit\" name=\"decision\" value=\"BLOCKED\">Block</button>")
        .raw("<label for=\"")
        .raw(id)
        .raw("-label\">Correct label to<select id=\"")
        .raw(id)
        .raw("-label\" name=\"label\"><option value=\"\">(choose a label)</option>");
    for (String label : labels) {
      h.raw("<option value=\"").text(label).raw("\">").text(label).raw("</option>");
    }
    h.raw("</select></label><button type=\"submit\" name=\"decision\" value=\"CORRECTED\">")
        .raw("Correct label</button></form></article>");
  }

  /** The nearest earlier documents of the item's tenant: evidence for the reviewer's decision. */
  private static void similar(Html h, String id, List<Neighbour> near) {
    h.raw("<table class=\"similar\" aria-labelledby=\"")
        .raw(id)
        .raw("-similar\"><caption id=\"")
        .raw(id)
        .raw("-similar\">Similar earlier documents (document memory)</caption><thead><tr>")
        .raw("<th scope=\"col\">Request</th><th scope=\"col\">Similarity</th>")
        .raw("<th scope=\"col\">Label</th></tr></thead><tbody>");
    for (Neighbour n : near) {
      h.raw("<tr><td>")
          .text(n.requestId())
          .raw("</td><td>")
          .text(String.format(Locale.ROOT, "%.3f", n.similarity()))
          .raw("</td><td>")
          .text(
              n.corrected()
                  ? n.correctedLabel() + " (corrected; answered " + n.predictedLabel() + ")"
                  : n.predictedLabel())
          .raw("</td></tr>");
    }
    h.raw("</tbody></table>");
  }

  private static String labelsText(ReviewItem item) {
    if (item.labels() == null || item.labels().isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    for (ReviewItem.Scored l : item.labels()) {
      s.append(s.length() == 0 ? "" : ", ")
          .append(l.label())
          .append(String.format(Locale.ROOT, " %.2f", l.score()));
    }
    return s.toString();
  }

  private static String expertsText(ReviewItem item) {
    if (item.experts() == null || item.experts().isEmpty()) {
      return "-";
    }
    StringBuilder s = new StringBuilder();
    for (ReviewItem.Gate g : item.experts()) {
      s.append(s.length() == 0 ? "" : ", ")
          .append(g.expert())
          .append(String.format(Locale.ROOT, " (%.2f)", g.weight()));
    }
    if (item.domainExpert() != null) {
      s.append("; domain expert ").append(item.domainExpert());
    }
    return s.toString();
  }

  private static void row(Html h, String name, Object value) {
    h.raw("<tr><th scope=\"row\">").text(name).raw("</th><td>").text(value).raw("</td></tr>");
  }
}
