package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.local.FreePorts;
import io.expertflow.streams.StreamsAppConfig;
import io.expertflow.streams.StreamsAppProperties;
import io.expertflow.testsupport.LocalStack;
import io.expertflow.testsupport.WithLocalStack;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The streams app's default state folder is the cluster's own, named by its id. */
@WithLocalStack
class ClusterStateDirIT {

  @Test
  void shouldGiveTheStreamsAppAFolderOfItsClusterUnlessOneIsChosen(
      LocalStack stack, @TempDir Path dir) throws Exception {
    String clusterId;
    try (Admin admin = Admin.create(stack.clientProperties())) {
      clusterId = admin.describeCluster().clusterId().get();
    }
    Path own = StreamsAppConfig.DEFAULT_STATE_DIR.resolve(clusterId);

    assertThat(streamsConfig(dir, "-b", stack.bootstrapServers()).stateDir()).isEqualTo(own);
    // a folder given stays, and no cluster is asked
    Path chosen = dir.resolve("state");
    assertThat(
            streamsConfig(dir, "-b", stack.bootstrapServers(), "--state-dir", chosen.toString())
                .stateDir())
        .isEqualTo(chosen);
  }

  @Test
  void shouldKeepTheSharedFolderWhenTheClusterDoesNotSayItsId() throws Exception {
    String nobody = "127.0.0.1:" + FreePorts.pick();

    assertThat(
            ClusterStateDir.of(
                Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, nobody),
                Duration.ofSeconds(1)))
        .isEmpty();
  }

  /** The config {@code expertflow streams args} would run with, the state folder settled. */
  private static StreamsAppConfig streamsConfig(Path dir, String... args) throws Exception {
    StreamsCommand command = new StreamsCommand();
    new CommandLine(command).parseArgs(args);
    command.stackFile = dir.resolve("no-stack.properties");
    return command.withClusterStateDir(StreamsAppProperties.toConfig(command.settings()));
  }
}
