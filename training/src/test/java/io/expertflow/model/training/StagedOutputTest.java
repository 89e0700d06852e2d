package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training's output appears whole at --out or not at all, and a bad --out is refused first. */
class StagedOutputTest {
  @TempDir Path dir;

  @Test
  void shouldMoveWhatWasWrittenIntoPlaceOnlyWhenCommitted() throws Exception {
    Path out = dir.resolve("runs/out");
    try (StagedOutput staged = StagedOutput.beside(out)) {
      Files.writeString(staged.folder().resolve("metrics.json"), "{}");
      assertThat(out).doesNotExist();
      staged.commit();
    }
    assertThat(out.resolve("metrics.json")).hasContent("{}");

    Path failed = dir.resolve("runs/failed");
    try (StagedOutput staged = StagedOutput.beside(failed)) {
      Files.writeString(staged.folder().resolve("metrics.json"), "{}");
    }
    assertThat(failed).doesNotExist();
    try (Stream<Path> left = Files.list(dir.resolve("runs"))) {
      assertThat(left).containsExactly(out);
    }
  }

  @Test
  void shouldRefuseAnOutputFolderThatHoldsSomethingOrCannotBeMade() throws Exception {
    Path used = Files.createDirectories(dir.resolve("used"));
    Files.writeString(used.resolve("keep.txt"), "mine");
    Path file = Files.writeString(dir.resolve("afile"), "");

    assertThatThrownBy(() -> StagedOutput.beside(used))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("already exists and is not empty");
    assertThatThrownBy(() -> StagedOutput.beside(file.resolve("out")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "cannot make the output folder "
                + file.resolve("out")
                + ": "
                + file
                + " is a file, not a folder; choose another --out");
    assertThat(used.resolve("keep.txt")).hasContent("mine");
  }
}
