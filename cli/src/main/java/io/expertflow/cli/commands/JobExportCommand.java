package io.expertflow.cli.commands;

import io.expertflow.cli.FileTrees;
import io.expertflow.schemas.registry.SchemaRegistryClient;
import io.expertflow.schemas.topics.TopicNames;
import io.expertflow.streams.jobs.export.ExportFormat;
import io.expertflow.streams.jobs.export.ExportSpill;
import io.expertflow.streams.jobs.export.JobExport;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code expertflow job export ID}: one line per document of a job, in submission order. */
@Command(
    name = "export",
    mixinStandardHelpOptions = true,
    description = {
      "Write one line per document of a job, in submission order, read from the topics: request"
          + " id, source, status (OK, EXPIRED, FAILED, DEAD_LETTERED or PENDING), labels with"
          + " scores, experts with gate weights, domain expert, compliance decision and rule,"
          + " model version, the audit record's output hash, dead-letter reason.",
      "Streams through spill files on disk, so a job of millions of documents needs no more"
          + " memory than one range of "
          + JobExport.RANGE
          + " documents.",
      "",
      "Examples:",
      "  expertflow job export contracts-2026-11-856a1b33 > answers.jsonl",
      "  expertflow job export contracts-2026-11-856a1b33 --format csv --out answers.csv"
    })
public final class JobExportCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin ConnectionOptions connection;

  @Parameters(paramLabel = "ID", description = "The job id that 'job submit' printed.")
  String jobId;

  @Option(
      names = "--format",
      defaultValue = "jsonl",
      description = "jsonl or csv (default: ${DEFAULT-VALUE}).")
  String format;

  @Option(
      names = "--out",
      paramLabel = "FILE",
      description = "Write here (written to FILE.part, then renamed); default: standard output.")
  Path outFile;

  @Option(
      names = "--work-dir",
      paramLabel = "DIR",
      description = "Where the spill files go (default: the system's temporary folder).")
  Path workDir;

  @Option(
      names = "--scan-timeout",
      defaultValue = "PT30M",
      description = "How long reading each topic may take (default: ${DEFAULT-VALUE}).")
  Duration scanTimeout;

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ExportFormat exportFormat = ExportFormat.of(format);
    Path spill =
        workDir == null
            ? Files.createTempDirectory("expertflow-export-")
            : Files.createTempDirectory(Files.createDirectories(workDir), "export-");
    ExportSpill.Summary summary;
    try (SchemaRegistryClient registry = connection.registryClient()) {
      JobExport export =
          new JobExport(
              connection.kafkaProperties(),
              registry,
              new TopicNames(connection.topicPrefix()),
              scanTimeout);
      if (outFile == null) {
        Writer out = spec.commandLine().getOut();
        summary = export.export(jobId, exportFormat, out, spill);
      } else {
        Path part = outFile.resolveSibling(outFile.getFileName() + ".part");
        try (Writer out =
            new BufferedWriter(
                new OutputStreamWriter(Files.newOutputStream(part), StandardCharsets.UTF_8))) {
          summary = export.export(jobId, exportFormat, out, spill);
        }
        Files.move(part, outFile, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      FileTrees.delete(spill);
    }
    err.printf(
        "job %s: exported %,d document(s): %,d answered, %,d dead-lettered, %,d pending%n",
        jobId, summary.documents(), summary.answered(), summary.deadLettered(), summary.pending());
    err.flush();
    return summary.documents() == 0 ? 3 : 0;
  }
}
