package io.expertflow.model.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.expertflow.model.training.ShiftPools.PoolDocument;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShiftPoolsTest {
  @TempDir Path dir;

  @Test
  void shouldReadBackWhatItWrote() throws IOException {
    ShiftPools pools =
        new ShiftPools(
            List.of("learned"),
            List.of(new PoolDocument("brown/cj01", "learned")),
            List.of(
                new PoolDocument("brown/cj02", "learned"),
                new PoolDocument("brown/cj07", "learned")));
    Path file = dir.resolve(ShiftPools.FILE);

    pools.write(file);

    assertThat(ShiftPools.read(file)).isEqualTo(pools);
  }

  @Test
  void shouldSayHowToGetPoolsWhenTheFileIsMissing() {
    assertThatThrownBy(() -> ShiftPools.read(dir.resolve(ShiftPools.FILE)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("--hold-out-label");
  }

  @Test
  void shouldRejectAFileThatIsNotAPoolsFile() throws IOException {
    Path file = dir.resolve("metrics.json");
    Files.writeString(file, "{\"test\": {}}");

    assertThatThrownBy(() -> ShiftPools.read(file))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("held_out_labels");
  }
}
