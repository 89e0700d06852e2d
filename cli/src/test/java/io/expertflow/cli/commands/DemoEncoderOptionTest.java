package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code demo --encoder} and {@code loop-demo --encoder}: a name that is no shipped encoder, or an
 * encoder beside a bundle that brings its own, is refused before anything starts.
 */
class DemoEncoderOptionTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseAnEncoderThatDoesNotShipAndNameTheOnesThatDo() {
    for (String command : new String[] {"demo", "loop-demo"}) {
      CliRun run =
          CliRun.run(command, "--encoder", "e6-tiny", "--cache", dir.toString(), "--run-dir", "x");

      assertThat(run.code()).as(command).isEqualTo(2);
      assertThat(run.err())
          .as(command)
          .startsWith(command + ": unknown encoder variant 'e6-tiny'")
          .contains("e5-small-v2-int8-static", "minilm-l6-v2-int8-static");
      assertThat(dir).as(command).isEmptyDirectory(); // nothing trained, nothing started
    }
  }

  @Test
  void shouldRefuseAnEncoderBesideABundleThatBringsItsOwn() {
    CliRun run =
        CliRun.run(
            "demo",
            "--bundle",
            dir.resolve("model").toString(),
            "--encoder",
            "e5-small-v2-static",
            "--cache",
            dir.toString());

    assertThat(run.code()).isEqualTo(2);
    assertThat(run.err()).contains("--encoder chooses the encoder of the demo model it trains");
    assertThat(dir).isEmptyDirectory();
  }
}
