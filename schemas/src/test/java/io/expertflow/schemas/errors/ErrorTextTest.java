package io.expertflow.schemas.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ErrorTextTest {

  @Test
  void shouldSayAFileSystemErrorInWordsWithItsFile() {
    assertThat(ErrorText.of(new NoSuchFileException("/k.pem")))
        .isEqualTo("no such file or folder: /k.pem");
    assertThat(ErrorText.of(new AccessDeniedException("/etc/shadow")))
        .isEqualTo("permission denied: /etc/shadow");
    assertThat(ErrorText.of(new UncheckedIOException(new NoSuchFileException("/k.pem"))))
        .isEqualTo("no such file or folder: /k.pem");
  }

  @Test
  void shouldSayAFileIsInTheWayOfAFolderToMake(@TempDir Path dir) throws IOException {
    Path file = Files.createFile(dir.resolve("afile"));

    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> Files.createDirectories(file));

    assertThat(ErrorText.of(e)).isEqualTo("already exists: " + file);
  }

  @Test
  void shouldKeepTheWrappersWordsAndAddTheCausesOnlyWhereMissing() {
    assertThat(
            ErrorText.of(
                new UncheckedIOException(
                    "cannot write f: disk full", new IOException("disk full"))))
        .isEqualTo("cannot write f: disk full");
    assertThat(
            ErrorText.of(
                new UncheckedIOException("reading x", new IOException("x: permission denied"))))
        .isEqualTo("reading x: x: permission denied");
    NoSuchFileException missing = new NoSuchFileException("/rules.yaml");
    assertThat(
            ErrorText.of(new UncheckedIOException("cannot read /rules.yaml: " + missing, missing)))
        .isEqualTo("cannot read /rules.yaml: no such file or folder: /rules.yaml");
  }

  @Test
  void shouldTakeTheFirstOwnMessageDownTheCauseChainAndNameTheKindOnlyWithoutAny() {
    assertThat(ErrorText.of(new RuntimeException(new IllegalStateException("closed"))))
        .isEqualTo("closed");
    assertThat(
            ErrorText.of(new RuntimeException((String) null, new IllegalStateException("closed"))))
        .isEqualTo("closed");
    assertThat(ErrorText.of(new NullPointerException())).isEqualTo("NullPointerException");
  }

  @Test
  void shouldSayWhereJsonIsWrongWithoutTheWordsItMet() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class,
            () -> new ObjectMapper().readTree("{\"text\": confidential merger terms}"));

    assertThat(e.getMessage()).contains("[Source").contains("confidential");
    assertThat(ErrorText.of(e))
        .isEqualTo(
            "Unrecognized token '…': was expecting (JSON String, Number, Array, Object or token"
                + " 'null', 'true' or 'false') (column 10)")
        .doesNotContain("Source")
        .doesNotContain("confidential");
  }

  @Test
  void shouldSayAFieldIsGivenTwiceWithoutItsName() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class,
            () ->
                JsonMapper.builder()
                    .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                    .build()
                    .readTree("{\"label\": \"a\", \"label\": \"b\"}"));

    assertThat(ErrorText.of(e)).isEqualTo("a field is given twice in one object (column 23)");
  }

  @Test
  void shouldSayInWordsThatTheOtherSideRefusedTheConnection() throws Exception {
    int port;
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class,
            () ->
                http.send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create("http://127.0.0.1:" + port + "/"))
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.discarding()));

    assertThat(e.getMessage()).as("the JDK's client says nothing of its own").isNull();
    assertThat(ErrorText.of(e)).isEqualTo("connection refused");
    assertThat(ErrorText.of(new java.io.EOFException())).isEqualTo("the data ended early");
  }

  @Test
  void shouldSayAnObjectIsNotClosedWithoutWhereJacksonReadItFrom() {
    Exception e =
        org.junit.jupiter.api.Assertions.assertThrows(
            IOException.class, () -> new ObjectMapper().readTree("{\"text\": \"a\""));

    assertThat(e.getMessage()).contains("start marker at [Source");
    assertThat(ErrorText.of(e))
        .isEqualTo("Unexpected end-of-input: expected close marker for Object (column 13)");
  }
}
