package io.expertflow.cli.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class JobIdsTest {

  @Test
  void shouldGiveTheSameJobTheSameIdEveryTime() {
    assertThat(JobIds.jobId("acme", "Contracts 2026/11"))
        .isEqualTo(JobIds.jobId("acme", "Contracts 2026/11"))
        .matches("contracts-2026-11-[0-9a-f]{8}");
  }

  @Test
  void shouldTellJobsOfOtherNamesAndTenantsApart() {
    String job = JobIds.jobId("acme", "contracts");
    assertThat(JobIds.jobId("acme", "Contracts")).isNotEqualTo(job);
    assertThat(JobIds.jobId("globex", "contracts")).isNotEqualTo(job);
  }

  @Test
  void shouldKeepJobIdsShortAndKeySafeWhateverTheName() {
    String id = JobIds.jobId("t", "x".repeat(500) + " ünïcode / \"quotes\"");
    assertThat(id).matches("[a-z0-9._-]{1,49}");
    assertThat(JobIds.jobId("t", "???")).matches("job-[0-9a-f]{8}");
    assertThatThrownBy(() -> JobIds.jobId("t", " "))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--name");
  }

  @Test
  void shouldDeriveTheRequestIdFromJobSourceAndContent() {
    String text = JobIds.contentSha256("The quick brown fox.", null);
    String id = JobIds.requestId("job-1", "docs/a.txt", text);

    assertThat(JobIds.requestId("job-1", "docs/a.txt", text)).isEqualTo(id);
    assertThat(id).matches("job-1/[0-9a-f]{32}");
    assertThat(JobIds.requestId("job-2", "docs/a.txt", text)).isNotEqualTo(id);
    assertThat(JobIds.requestId("job-1", "docs/b.txt", text)).isNotEqualTo(id);
    assertThat(
            JobIds.requestId("job-1", "docs/a.txt", JobIds.contentSha256("The quick fox.", null)))
        .isNotEqualTo(id);
  }

  @Test
  void shouldHashChunksWhenThereIsNoText() {
    assertThat(JobIds.contentSha256(null, List.of("ab", "c")))
        .isNotEqualTo(JobIds.contentSha256(null, List.of("a", "bc")))
        .isEqualTo(JobIds.contentSha256(null, List.of("ab", "c")));
  }

  @Test
  void shouldPickAJobsRequestsByPrefixOnly() {
    assertThat(JobIds.belongs("job-1/abc", "job-1")).isTrue();
    assertThat(JobIds.belongs("job-10/abc", "job-1")).isFalse();
    assertThat(JobIds.belongs("job-1", "job-1")).isFalse();
    assertThat(JobIds.belongs(null, "job-1")).isFalse();
  }

  @Test
  void shouldFindMembersOfAFingerprintSetAndDropRepeats() {
    FingerprintSet set = new FingerprintSet();
    for (int i = 0; i < 5000; i++) {
      set.add(JobIds.fingerprint("job/" + (i % 2500)));
    }
    set.freeze();

    assertThat(set.size()).isEqualTo(2500);
    assertThat(set.contains(JobIds.fingerprint("job/17"))).isTrue();
    assertThat(set.contains(JobIds.fingerprint("job/2500"))).isFalse();
    assertThat(set.indexOf(JobIds.fingerprint("job/17"))).isBetween(0, 2499);
  }
}
