package io.expertflow.cli.commands;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.expertflow.model.bundle.ModelBundles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class SimilarCommandTest {
  @TempDir Path dir;

  @Test
  void shouldRefuseAFileThatIsNotTextOrHoldsNoneBeforeAskingTheMemory() throws Exception {
    ModelBundles.tiny(dir.resolve("bundle"), List.of("a", "b"));
    Path pdf = Files.write(dir.resolve("scan.pdf"), "%PDF-1.7\n1 0 obj\n".getBytes(UTF_8));
    Path blank = Files.writeString(dir.resolve("blank.html"), "<html><body> </body></html>");

    StringWriter err = new StringWriter();
    int code = similar(err, pdf);
    assertThat(code).isEqualTo(2);
    assertThat(err.toString())
        .contains("similar: " + pdf + " is not text (a PDF); extract its text into a .txt file");

    StringWriter blankErr = new StringWriter();
    assertThat(similar(blankErr, blank)).isEqualTo(2);
    assertThat(blankErr.toString())
        .as("an HTML page is read as its visible text, here none")
        .contains(blank + " holds no text");
  }

  @Test
  void shouldSayThatTextTakesAFileWhenGivenSomethingElse() throws Exception {
    ModelBundles.tiny(dir.resolve("bundle"), List.of("a", "b"));

    StringWriter err = new StringWriter();
    assertThat(similar(err, Path.of("charged twice for one order"))).isEqualTo(2);
    assertThat(err.toString())
        .contains(
            "similar: --text takes the path of a text file, and there is no file charged twice"
                + " for one order; save the text into a file and give its path");

    StringWriter folderErr = new StringWriter();
    assertThat(similar(folderErr, dir)).isEqualTo(2);
    assertThat(folderErr.toString()).contains(dir + " is a folder");
  }

  private int similar(StringWriter err, Path file) {
    CommandLine cli = new CommandLine(new SimilarCommand());
    cli.setOut(new PrintWriter(new StringWriter()));
    cli.setErr(new PrintWriter(err, true));
    return cli.execute(
        "--text",
        file.toString(),
        "--bundle",
        dir.resolve("bundle").toString(),
        // nothing listens there: the file is refused before any call
        "--status-url",
        "http://127.0.0.1:9");
  }
}
