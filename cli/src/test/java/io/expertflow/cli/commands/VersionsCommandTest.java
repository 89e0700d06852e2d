package io.expertflow.cli.commands;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class VersionsCommandTest {

  @Test
  void shouldListFewChangedExpertsAndCountMany() {
    List<Integer> all = IntStream.range(0, 128).boxed().toList();

    assertThat(VersionsCommand.ListVersions.experts(List.of())).isEqualTo("[]");
    assertThat(VersionsCommand.ListVersions.experts(List.of(1, 7, 9, 12))).isEqualTo("[1,7,9,12]");
    assertThat(VersionsCommand.ListVersions.experts(all)).isEqualTo("128 [0,1,2,...]");
  }
}
