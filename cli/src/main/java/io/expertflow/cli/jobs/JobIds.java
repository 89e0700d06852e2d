package io.expertflow.cli.jobs;

import io.expertflow.streams.jobs.JobTopology;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Ids of jobs and of their requests, derived, never drawn at random, so that submitting the same
 * job again gives every document the request id it had the first time:
 *
 * <ul>
 *   <li>job id: the name made URL- and key-safe ({@code [a-z0-9._-]}, at most 40 characters), a
 *       dash, and 8 hex digits of SHA-256 over the tenant and the exact name;
 *   <li>request id: {@code <job id>/<32 hex digits>}, SHA-256 over the document's source (its path
 *       under the folder, its id, or {@code file:line}) and the SHA-256 of its text.
 * </ul>
 *
 * The job id prefix lets a reader pick a job's records out of a topic by key alone. Stateless.
 */
public final class JobIds {
  /**
   * Separates the job id from the document part of a request id (the job topology relies on it).
   */
  public static final char SEPARATOR = JobTopology.REQUEST_ID_SEPARATOR;

  private static final int NAME_CHARS = 40;

  private JobIds() {}

  /** The id of the job {@code name} of {@code tenant}. */
  public static String jobId(String tenant, String name) {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException(
          "a job needs a name (--name), e.g. --name invoices-2026-11");
    }
    String slug =
        name.strip()
            .toLowerCase(Locale.ROOT)
            .replaceAll("[^a-z0-9._-]+", "-")
            .replaceAll("^[-._]+|[-._]+$", "");
    if (slug.length() > NAME_CHARS) {
      slug = slug.substring(0, NAME_CHARS).replaceAll("[-._]+$", "");
    }
    String digest = hex(sha256(tenant + "\n" + name)).substring(0, 8);
    return slug.isEmpty() ? "job-" + digest : slug + "-" + digest;
  }

  /** The id of the request for the document {@code source} with this text, in job {@code jobId}. */
  public static String requestId(String jobId, String source, String contentSha256) {
    return jobId + SEPARATOR + hex(sha256(source + "\u0000" + contentSha256)).substring(0, 32);
  }

  /** SHA-256 (hex) of a document's content: its text, or its chunks when it has no text. */
  public static String contentSha256(CharSequence text, List<? extends CharSequence> chunks) {
    if (text != null) {
      return hex(sha256(text.toString()));
    }
    StringBuilder joined = new StringBuilder();
    for (CharSequence c : chunks == null ? List.<CharSequence>of() : chunks) {
      joined.append(c).append('\u001f');
    }
    return hex(sha256(joined.toString()));
  }

  /** The key prefix of every request of {@code jobId}. */
  public static String prefix(String jobId) {
    return jobId + SEPARATOR;
  }

  /** Whether {@code requestId} belongs to {@code jobId}. */
  public static boolean belongs(String requestId, String jobId) {
    return requestId != null
        && requestId.length() > jobId.length()
        && requestId.startsWith(jobId)
        && requestId.charAt(jobId.length()) == SEPARATOR;
  }

  /**
   * A 64-bit fingerprint of a request id, for sets of millions of ids in little memory (two ids of
   * one job share one with a chance of about n^2 / 2^65: one in 37 million for a million ids).
   */
  public static long fingerprint(String requestId) {
    return ByteBuffer.wrap(sha256(requestId)).getLong();
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JDK", e);
    }
  }

  private static String hex(byte[] bytes) {
    return HexFormat.of().formatHex(bytes);
  }
}
