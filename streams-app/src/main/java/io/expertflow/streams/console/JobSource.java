package io.expertflow.streams.console;

import com.fasterxml.jackson.core.type.TypeReference;
import io.expertflow.streams.jobs.JobCounts;
import io.expertflow.streams.jobs.JobLookup;
import io.expertflow.streams.jobs.JobsHttpHandler;
import io.expertflow.streams.status.JsonSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The job figures the console shows, from this instance's job store and, for jobs that other
 * instances hold, from their job API ({@code /v1/jobs}, asked once with the forwarding header).
 * Thread-safe.
 */
final class JobSource {
  private final Supplier<JobLookup> lookup;
  private final HttpClient client;
  private final Duration timeout;

  JobSource(Supplier<JobLookup> lookup, Duration timeout) {
    this.lookup = lookup;
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  /** The figures could not be read now. */
  static final class Unavailable extends Exception {
    private static final long serialVersionUID = 1L;

    Unavailable(String message) {
      super(message);
    }
  }

  /** Every job, earliest first. */
  List<JobCounts> all() throws Unavailable {
    JobLookup jobs = jobs();
    JobLookup.Local local = jobs.local();
    if (local instanceof JobLookup.Unavailable u) {
      throw new Unavailable(u.reason());
    }
    List<JobCounts> all = new ArrayList<>(((JobLookup.Listed) local).jobs());
    for (String other : jobs.others()) {
      HttpResponse<byte[]> r = get(URI.create(other + JobsHttpHandler.PATH));
      if (r.statusCode() != 200) {
        throw new Unavailable(other + " could not list its jobs now (HTTP " + r.statusCode() + ")");
      }
      try {
        Map<String, List<JobCounts>> body =
            JsonSerde.MAPPER.readValue(r.body(), new TypeReference<>() {});
        all.addAll(body.getOrDefault("jobs", List.of()));
      } catch (IOException e) {
        throw new Unavailable(other + " answered what is not a job listing: " + e.getMessage());
      }
    }
    all.sort(
        Comparator.comparing((JobCounts j) -> Objects.requireNonNullElse(j.firstSubmittedAt(), 0L))
            .thenComparing(JobCounts::jobId));
    return all;
  }

  /** The job's figures, or null when no instance knows it. */
  JobCounts one(String jobId) throws Unavailable {
    JobLookup.Result result = jobs().find(jobId);
    if (result instanceof JobLookup.Found found) {
      return found.job();
    }
    if (result instanceof JobLookup.Unavailable u) {
      throw new Unavailable(u.reason());
    }
    if (result instanceof JobLookup.Elsewhere owner) {
      HttpResponse<byte[]> r =
          get(
              URI.create(
                  "http://"
                      + owner.host()
                      + ":"
                      + owner.port()
                      + JobsHttpHandler.PATH
                      + "/"
                      + Html.url(jobId)));
      if (r.statusCode() == 404) {
        return null;
      }
      if (r.statusCode() != 200) {
        throw new Unavailable("the instance holding the job answered HTTP " + r.statusCode());
      }
      try {
        return JsonSerde.MAPPER.readValue(r.body(), JobCounts.class);
      } catch (IOException e) {
        throw new Unavailable("the instance holding the job answered: " + e.getMessage());
      }
    }
    return null;
  }

  private JobLookup jobs() throws Unavailable {
    JobLookup jobs = lookup.get();
    if (jobs == null) {
      throw new Unavailable("the jobs topology does not run on this instance, or is starting");
    }
    return jobs;
  }

  private HttpResponse<byte[]> get(URI target) throws Unavailable {
    try {
      return client.send(
          HttpRequest.newBuilder(target)
              .timeout(timeout)
              .header(JobsHttpHandler.FORWARDED_HEADER, "1")
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new Unavailable(target.getAuthority() + " did not answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while asking " + target.getAuthority());
    }
  }
}
