package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MailTextTest {

  @Test
  void shouldKeepSubjectAndBodyAndDropTransportHeaders() {
    String raw =
        "From someone@example.com  Thu Aug 22 13:17:22 2002\n"
            + "Received: from localhost\n\tby mail.example.com\n"
            + "Subject: Meeting\n  tomorrow\n"
            + "To: team@example.com\n\n"
            + "See you at ten.\n";

    String text = MailText.extract(raw.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(text).isEqualTo("Meeting tomorrow\n\nSee you at ten.");
  }

  @Test
  void shouldPreferThePlainPartOfAnAlternativeAndDecodeQuotedPrintable() {
    String raw =
        "Subject: =?utf-8?B?Q2Fmw6kgbWVudQ==?=\n"
            + "Content-Type: multipart/alternative; boundary=\"XX\"\n\n"
            + "preamble\n"
            + "--XX\n"
            + "Content-Type: text/plain; charset=utf-8\n"
            + "Content-Transfer-Encoding: quoted-printable\n\n"
            + "Caf=C3=A9 au lait, soft=\nbreak\n"
            + "--XX\n"
            + "Content-Type: text/html\n\n"
            + "<p>HTML version</p>\n"
            + "--XX--\n";

    String text = MailText.extract(raw.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(text).isEqualTo("Café menu\n\nCafé au lait, softbreak");
  }

  @Test
  void shouldReduceHtmlToTextAndSkipBinaryAttachments() {
    String raw =
        "Subject: Offer\n"
            + "Content-Type: multipart/mixed; boundary=b1\n\n"
            + "--b1\n"
            + "Content-Type: text/html\n\n"
            + "<html><head><style>p{}</style></head><body><p>Buy&nbsp;now &amp; save</p>"
            + "<!-- hidden --><script>x()</script></body></html>\n"
            + "--b1\n"
            + "Content-Type: image/gif\n"
            + "Content-Transfer-Encoding: base64\n\n"
            + "R0lGODlhAQABAAAAACw=\n"
            + "--b1--\n";

    String text = MailText.extract(raw.getBytes(StandardCharsets.ISO_8859_1));

    assertThat(text).isEqualTo("Offer\n\nBuy now & save");
  }

  @Test
  void shouldDecodeABase64TextBody() {
    String raw =
        "Subject: b64\nContent-Transfer-Encoding: base64\n\n"
            + java.util.Base64.getMimeEncoder()
                .encodeToString("hello from base64".getBytes(StandardCharsets.US_ASCII))
            + "\n";

    assertThat(MailText.extract(raw.getBytes(StandardCharsets.ISO_8859_1)))
        .isEqualTo("b64\n\nhello from base64");
  }
}
