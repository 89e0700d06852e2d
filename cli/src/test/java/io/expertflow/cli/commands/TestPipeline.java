package io.expertflow.cli.commands;

import io.expertflow.model.bundle.ModelBundles;
import io.expertflow.schemas.topics.TopicCatalog;
import io.expertflow.streams.AppTopology;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.testsupport.LocalStack;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * What the CLI's integration tests start around the command they test: the streams app's
 * configuration for this JVM, and a real {@code expertflow worker} child JVM on the tiny test
 * bundle (labels a, b, c).
 */
final class TestPipeline {
  private TestPipeline() {}

  /** The streams app on {@code catalog}'s topics, state under {@code dir}, HTTP on a free port. */
  static StreamsAppConfig streamsConfig(
      LocalStack stack, TopicCatalog catalog, Path dir, String name, EnumSet<AppTopology> run) {
    return StreamsAppConfig.builder()
        .bootstrapServers(stack.bootstrapServers())
        .schemaRegistryUrl(stack.schemaRegistryUrl())
        .applicationId(name + "-" + catalog.prefix().replace(".", ""))
        .topicPrefix(catalog.prefix())
        .stateDir(dir.resolve("state"))
        .instanceId(name)
        .topologies(run)
        .httpBind("127.0.0.1")
        .advertisedHost("127.0.0.1")
        .httpPort(0)
        .build();
  }

  /**
   * {@code expertflow worker} on the tiny bundle (written under {@code dir}) and {@code catalog}'s
   * topics, on the CPU, its output in {@code dir/worker.log}; {@code extra} arguments appended.
   */
  static Process startWorker(
      Path dir, LocalStack stack, TopicCatalog catalog, String workerId, String... extra)
      throws IOException {
    Path bundle = ModelBundles.tiny(dir.resolve("bundle"), List.of("a", "b", "c")).dir();
    List<String> args =
        new ArrayList<>(
            List.of(
                "worker",
                "--bundle",
                bundle.toString(),
                "-b",
                stack.bootstrapServers(),
                "-r",
                stack.schemaRegistryUrl(),
                "--topic-prefix",
                catalog.prefix(),
                "--worker-id",
                workerId,
                "--engine",
                "cpu"));
    args.addAll(List.of(extra));
    return CliProcess.start(dir, dir.resolve("worker.log"), args.toArray(String[]::new));
  }
}
