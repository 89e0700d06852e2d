package io.expertflow.model.corpus;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BrownDetokenizerTest {

  @Test
  void shouldDropTagsAndRestoreQuotesAndPunctuationSpacing() {
    String tagged =
        "\n\n\tThe/at jury/nn said/vbd ``/`` no/at evidence/nn ''/'' was/bedz found/vbn ,/,"
            + " (/( see/vb 1/2/cd )/) ./.\n\n\tIt's/pps+bez over/rp ./.\n";

    assertThat(BrownDetokenizer.detokenize(tagged))
        .isEqualTo("The jury said \"no evidence\" was found, (see 1/2). It's over.");
  }
}
