package io.expertflow.streams.console;

import io.expertflow.streams.jobs.JobCounts;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The job list and the page of one job. Stateless. */
final class JobPages {
  /** How often a page of a running job reloads itself (a meta refresh, no script). */
  static final int REFRESH_SECONDS = 5;

  private JobPages() {}

  static boolean done(JobCounts job) {
    return job.expected() > 0 && job.done() >= job.expected();
  }

  static String list(List<JobCounts> jobs) {
    Html h = new Html().begin("Jobs", "jobs", null);
    if (jobs.isEmpty()) {
      h.raw(
          "<p>No jobs yet. Start one with <code>expertflow job submit PATH --name NAME</code>.</p>");
      return h.end();
    }
    h.raw("<table><caption>")
        .text(jobs.size() + " job(s), earliest first")
        .raw("</caption><thead><tr><th scope=\"col\">Job</th><th scope=\"col\">Tenant</th>")
        .raw(
            "<th scope=\"col\" class=\"n\">Documents</th><th scope=\"col\" class=\"n\">Answered</th>")
        .raw("<th scope=\"col\" class=\"n\">Dead letters</th><th scope=\"col\">Progress</th>")
        .raw("<th scope=\"col\">State</th><th scope=\"col\">Started</th></tr></thead><tbody>");
    for (JobCounts j : jobs) {
      long size = size(j);
      h.raw("<tr><td><a href=\"/console/jobs/")
          .raw(Html.esc(Html.url(j.jobId())))
          .raw("\">")
          .text(j.jobId())
          .raw("</a></td><td>")
          .text(j.tenant())
          .raw("</td><td class=\"n\">")
          .text(Html.number(size))
          .raw("</td><td class=\"n\">")
          .text(Html.number(j.answered()))
          .raw("</td><td class=\"n\">")
          .text(Html.number(j.deadLettered()))
          .raw("</td><td><progress max=\"")
          .raw(String.valueOf(Math.max(1, size)))
          .raw("\" value=\"")
          .raw(String.valueOf(j.done()))
          .raw("\" aria-label=\"")
          .text(j.jobId() + ": " + j.done() + " of " + size + " done")
          .raw("\"></progress></td><td>")
          .text(done(j) ? "DONE" : "RUNNING")
          .raw("</td><td>")
          .text(Html.time(j.firstSubmittedAt()))
          .raw("</td></tr>");
    }
    return h.raw("</tbody></table>").end();
  }

  private static long size(JobCounts j) {
    return Math.max(j.expected(), j.submitted());
  }

  static String one(JobCounts j) {
    boolean done = done(j);
    Html h = new Html().begin("Job " + j.jobId(), "jobs", done ? null : REFRESH_SECONDS);
    long size = size(j);
    double share = size == 0 ? 0 : (double) j.done() / size;
    h.raw("<p><a href=\"/console/jobs\">All jobs</a></p>")
        .raw("<section aria-labelledby=\"progress\"><h2 id=\"progress\">Progress</h2>")
        .raw("<p><progress id=\"job-progress\" max=\"")
        .raw(String.valueOf(Math.max(1, size)))
        .raw("\" value=\"")
        .raw(String.valueOf(j.done()))
        .raw("\" aria-describedby=\"progress-text\"></progress> <span id=\"progress-text\">")
        .text(
            String.format(
                Locale.ROOT,
                "%,d of %,d done (%.0f %%): %,d answered, %,d dead-lettered; %s",
                j.done(),
                size,
                100 * share,
                j.answered(),
                j.deadLettered(),
                done ? "DONE" : "RUNNING"))
        .raw("</span></p>");
    if (!done) {
      h.raw("<p>This page reloads every ").text(REFRESH_SECONDS).raw(" s while the job runs.</p>");
    }
    h.raw("<table><caption>Figures</caption><tbody>");
    row(h, "Tenant", j.tenant());
    row(h, "Documents (as submitted)", Html.number(j.expected()));
    row(h, "Submitted", Html.number(j.submitted()));
    h.raw("<tr><th scope=\"row\">Answered</th><td class=\"n\" id=\"answered\">")
        .text(Html.number(j.answered()))
        .raw("</td></tr>");
    row(h, "Expired", Html.number(j.expired()));
    row(h, "Failed", Html.number(j.failed()));
    row(h, "Dead-lettered", Html.number(j.deadLettered()));
    row(h, "Started", Html.time(j.firstSubmittedAt()));
    row(h, "Last answer", Html.time(j.lastAnsweredAt()));
    h.raw("</tbody></table></section>");
    h.raw("<section aria-labelledby=\"throughput\"><h2 id=\"throughput\">Throughput over time</h2>")
        .raw(ThroughputChart.svg(j.answeredTimeline()))
        .raw("</section>");
    distribution(h, "labels", "Labels (best label of OK answers)", "Label", j.labels());
    distribution(h, "decisions", "Compliance decisions", "Decision", j.decisions());
    distribution(h, "dead-letters", "Dead letters by reason", "Reason", j.deadLetterReasons());
    String id = Html.esc(Html.url(j.jobId()));
    h.raw("<section aria-labelledby=\"export\"><h2 id=\"export\">Export</h2><p>One line per")
        .raw(" document in submission order (no text): <a href=\"/v1/jobs/")
        .raw(id)
        .raw("/export?format=jsonl\">JSON Lines</a> or <a href=\"/v1/jobs/")
        .raw(id)
        .raw("/export?format=csv\">CSV</a>. The same from a shell: <code>expertflow job export ")
        .text(j.jobId())
        .raw(" --format csv --out answers.csv</code>.</p></section>");
    return h.end();
  }

  private static void row(Html h, String name, Object value) {
    h.raw("<tr><th scope=\"row\">")
        .text(name)
        .raw("</th><td class=\"n\">")
        .text(value)
        .raw("</td></tr>");
  }

  private static void distribution(
      Html h, String id, String title, String column, Map<String, Long> counts) {
    h.raw("<section aria-labelledby=\"")
        .raw(id)
        .raw("\"><h2 id=\"")
        .raw(id)
        .raw("\">")
        .text(title)
        .raw("</h2>");
    if (counts.isEmpty()) {
      h.raw("<p>None.</p></section>");
      return;
    }
    long total = counts.values().stream().mapToLong(Long::longValue).sum();
    h.raw("<table id=\"")
        .raw(id)
        .raw("-table\"><thead><tr><th scope=\"col\">")
        .text(column)
        .raw(
            "</th><th scope=\"col\" class=\"n\">Count</th><th scope=\"col\" class=\"n\">Share</th>")
        .raw(
            "<th scope=\"col\"><span class=\"visually-hidden\">Bar</span></th></tr></thead><tbody>");
    counts.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(
            e -> {
              double share = total == 0 ? 0 : (double) e.getValue() / total;
              h.raw("<tr><td>")
                  .text(e.getKey())
                  .raw("</td><td class=\"n\">")
                  .text(Html.number(e.getValue()))
                  .raw("</td><td class=\"n\">")
                  .text(String.format(Locale.ROOT, "%.1f %%", 100 * share))
                  .raw("</td><td>")
                  .raw(Html.bar(share))
                  .raw("</td></tr>");
            });
    h.raw("</tbody></table></section>");
  }
}
