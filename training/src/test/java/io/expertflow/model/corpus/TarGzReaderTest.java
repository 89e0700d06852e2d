package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarGzReaderTest {
  @TempDir Path dir;

  @Test
  void shouldReadEveryRegularFileInOrderIncludingPaxLongNames() throws IOException {
    String longName = "package/data/" + "x".repeat(120) + ".txt";
    Map<String, String> entries = new LinkedHashMap<>();
    entries.put("package/a.txt", "alpha");
    entries.put(longName, "long");
    entries.put("package/empty", "");
    Path tgz = TestTarball.write(dir.resolve("t.tgz"), entries);

    Map<String, String> read = new LinkedHashMap<>();
    TarGzReader.read(
        tgz, (name, content) -> read.put(name, new String(content, StandardCharsets.UTF_8)));

    assertThat(read).containsExactlyEntriesOf(entries);
  }

  @Test
  void shouldRejectAHeaderWithAWrongChecksum() throws IOException {
    byte[] tar = TestTarball.tar(Map.of("package/a.txt", "alpha"));
    tar[0] = 'q'; // change the name without fixing the checksum

    assertThatThrownBy(() -> TarGzReader.read(new ByteArrayInputStream(tar), (n, c) -> {}))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("checksum");
  }

  @Test
  void shouldRejectAnArchiveCutInsideAnEntry() throws IOException {
    byte[] tar = TestTarball.tar(Map.of("package/a.txt", "x".repeat(2000)));
    byte[] cut = java.util.Arrays.copyOf(tar, 1000);

    assertThatThrownBy(() -> TarGzReader.read(new ByteArrayInputStream(cut), (n, c) -> {}))
        .isInstanceOf(java.io.EOFException.class);
  }
}
