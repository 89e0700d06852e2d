package io.expertflow.model.corpus;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class DocumentFilesTest {

  @Test
  void shouldTellFilesThatAreNotTextBySignatureOrANulByte() {
    assertThat(DocumentFiles.notText("%PDF-1.4\n".getBytes(UTF_8))).contains("a PDF");
    assertThat(DocumentFiles.notText(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10}))
        .contains("an image");
    assertThat(DocumentFiles.notText("GIF89a".getBytes(UTF_8))).contains("an image");
    assertThat(DocumentFiles.notText(new byte[] {'P', 'K', 3, 4, 20}))
        .contains("a ZIP archive or office document");
    assertThat(DocumentFiles.notText(new byte[] {0x1F, (byte) 0x8B, 8})).contains("a gzip archive");
    byte[] late = new byte[DocumentFiles.SNIFF_BYTES];
    Arrays.fill(late, (byte) 'a');
    late[late.length - 1] = 0;
    assertThat(DocumentFiles.notText(late)).contains("binary data");

    assertThat(DocumentFiles.notText("plain words, \u00e9t\u00e9".getBytes(UTF_8))).isEmpty();
    assertThat(DocumentFiles.notText("caf\u00e9".getBytes(ISO_8859_1)))
        .as("text in another encoding is still text")
        .isEmpty();
    assertThat(DocumentFiles.notText(new byte[0])).isEmpty();
    assertThat(
            DocumentFiles.notText(
                "\uFEFFnotes".getBytes(java.nio.charset.StandardCharsets.UTF_16LE)))
        .as("UTF-16 text, whose NUL bytes are half its characters")
        .isEmpty();
    assertThat(DocumentFiles.notText("PK is a prefix of words".getBytes(UTF_8))).isEmpty();
  }

  @Test
  void shouldReadHtmlAndMailAsTrainingDataIsReadAndSayWhenBytesWereReplaced() {
    DocumentFiles.Text html =
        DocumentFiles.text(
            Path.of("a.HTM"), "<p>one &amp; two</p><script>x()</script>".getBytes(UTF_8));
    assertThat(html.text()).contains("one & two").doesNotContain("x()").doesNotContain("<p>");
    assertThat(html.valid()).isTrue();

    byte[] mail =
        ("Subject: =?UTF-8?Q?Caf=C3=A9?=\r\nContent-Type: text/plain; charset=ISO-8859-1\r\n\r\n"
                + "d\u00e9j\u00e0 vu\r\n")
            .getBytes(ISO_8859_1);
    DocumentFiles.Text eml = DocumentFiles.text(Path.of("m.eml"), mail);
    assertThat(eml.text()).contains("Caf\u00e9").contains("d\u00e9j\u00e0 vu");
    assertThat(eml.valid()).isTrue();

    DocumentFiles.Text latin =
        DocumentFiles.text(Path.of("n.txt"), "caf\u00e9".getBytes(ISO_8859_1));
    assertThat(latin.valid()).isFalse();
    assertThat(latin.text()).isEqualTo("caf\uFFFD");
    assertThat(DocumentFiles.text(Path.of("b.txt"), "\uFEFFhi".getBytes(UTF_8)).text())
        .isEqualTo("hi");
    DocumentFiles.Text windows =
        DocumentFiles.text(
            Path.of("w.txt"),
            "\uFEFFd\u00e9j\u00e0 vu".getBytes(java.nio.charset.StandardCharsets.UTF_16LE));
    assertThat(windows.text()).isEqualTo("d\u00e9j\u00e0 vu");
    assertThat(windows.valid()).isTrue();
    assertThat(DocumentFiles.text(Path.of("c.md"), "<p>kept</p>".getBytes(UTF_8)).text())
        .as("only HTML files lose their tags")
        .isEqualTo("<p>kept</p>");
  }
}
