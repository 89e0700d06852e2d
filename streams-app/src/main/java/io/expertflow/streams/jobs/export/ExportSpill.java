package io.expertflow.streams.jobs.export;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sort behind {@code job export}, free of Kafka: parts of rows are {@linkplain #add added} in
 * any order and spilled to JSON-lines files by request id; {@link #writeInOrder} merges each spill
 * file per request into files by position range, then sorts and writes one range at a time. Memory
 * is one spill file or one range, never the job. One thread.
 */
public final class ExportSpill implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Path byRequest;
  private final Path byPosition;
  private final int buckets;
  private final int range;
  private final SpillFiles parts;
  private long maxSeq;

  /** What was written. */
  public record Summary(long documents, long answered, long deadLettered, long pending) {}

  /**
   * @param workDir an empty folder for the spill files
   * @param buckets spill files by request id
   * @param range positions per range file
   */
  public ExportSpill(Path workDir, int buckets, int range) throws IOException {
    this.byRequest = Files.createDirectories(workDir.resolve("by-request"));
    this.byPosition = Files.createDirectories(workDir.resolve("by-position"));
    this.buckets = buckets;
    this.range = range;
    this.parts = new SpillFiles(byRequest);
  }

  /** Adds a part of a row (request id set). */
  public void add(ExportRow part) {
    if (part.seq() != null) {
      maxSeq = Math.max(maxSeq, part.seq());
    }
    parts.add(bucketOf(part.requestId(), buckets), part);
  }

  /** Writes every row once, by position, then by request id for rows without one. */
  /** The spill file of {@code requestId}: spread over the buckets by the id's hash. */
  static int bucketOf(String requestId, int buckets) {
    int h = requestId.hashCode();
    return Math.floorMod(h ^ (h >>> 16), buckets);
  }

  public Summary writeInOrder(ExportFormat format, Writer out) throws IOException {
    parts.close();
    int ranges = (int) (maxSeq / range) + 2; // the last one holds rows without a position
    try (SpillFiles rows = new SpillFiles(byPosition)) {
      for (int b = 0; b < buckets; b++) {
        Map<String, ExportRow> merged = new HashMap<>();
        for (ExportRow part : SpillFiles.read(byRequest, b)) {
          merged.merge(part.requestId(), part, ExportRow::mergedWith);
        }
        for (ExportRow row : merged.values()) {
          rows.add(row.seq() == null ? ranges - 1 : (int) (row.seq() / range), row);
        }
      }
    }
    long documents = 0;
    long answered = 0;
    long dead = 0;
    long pending = 0;
    format.header(out);
    for (int b = 0; b < ranges; b++) {
      List<ExportRow> rows = SpillFiles.read(byPosition, b);
      rows.sort(
          Comparator.comparing((ExportRow r) -> r.seq() == null ? Long.MAX_VALUE : r.seq())
              .thenComparing(ExportRow::requestId));
      for (ExportRow row : rows) {
        ExportRow done = row.finished();
        format.write(done, out);
        documents++;
        switch (done.status()) {
          case "DEAD_LETTERED" -> dead++;
          case ExportRow.PENDING -> pending++;
          default -> answered++;
        }
      }
    }
    out.flush();
    return new Summary(documents, answered, dead, pending);
  }

  @Override
  public void close() throws IOException {
    parts.close();
  }

  /** JSON-lines spill files, one per bucket, opened when first written. */
  private static final class SpillFiles implements AutoCloseable {
    private final Path dir;
    private final Map<Integer, BufferedWriter> open = new TreeMap<>();

    SpillFiles(Path dir) {
      this.dir = dir;
    }

    void add(int bucket, ExportRow part) {
      try {
        BufferedWriter w = open.get(bucket);
        if (w == null) {
          w = Files.newBufferedWriter(file(dir, bucket), StandardCharsets.UTF_8);
          open.put(bucket, w);
        }
        w.write(JSON.writeValueAsString(part));
        w.newLine();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot write the export's spill file in " + dir, e);
      }
    }

    static List<ExportRow> read(Path dir, int bucket) throws IOException {
      Path file = file(dir, bucket);
      List<ExportRow> rows = new ArrayList<>();
      if (!Files.exists(file)) {
        return rows;
      }
      try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        String line;
        while ((line = in.readLine()) != null) {
          rows.add(JSON.readValue(line, ExportRow.class));
        }
      }
      Files.delete(file);
      return rows;
    }

    private static Path file(Path dir, int bucket) {
      return dir.resolve(bucket + ".jsonl");
    }

    @Override
    public void close() throws IOException {
      for (BufferedWriter w : open.values()) {
        w.close();
      }
      open.clear();
    }
  }
}
