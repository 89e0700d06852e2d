package io.expertflow.streams.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallerTokensTest {
  @TempDir Path dir;

  @Test
  void shouldMapAKnownBearerTokenToItsTenantAndNothingElse() throws Exception {
    String acme = CallerTokens.newToken();
    String ops = CallerTokens.newToken();
    Path file = dir.resolve("tokens");
    Files.writeString(
        file,
        "# the API's callers\n\nacme:"
            + CallerTokens.hash(acme)
            + "\n*:"
            + CallerTokens.hash(ops)
            + "\n");

    CallerTokens tokens = CallerTokens.load(file);

    assertThat(tokens.enabled()).isTrue();
    assertThat(tokens.tenantOf("Bearer " + acme)).contains("acme");
    assertThat(tokens.tenantOf("bearer " + acme))
        .as("the scheme is case-insensitive")
        .contains("acme");
    assertThat(tokens.tenantOf("Bearer " + ops)).contains(CallerTokens.ALL_TENANTS);
    assertThat(tokens.tenantOf("Bearer " + CallerTokens.newToken())).isEmpty();
    assertThat(tokens.tenantOf("Basic " + acme)).isEmpty();
    assertThat(tokens.tenantOf("Bearer ")).isEmpty();
    assertThat(tokens.tenantOf(null)).isEmpty();
    assertThat(Files.readString(file)).doesNotContain(acme).doesNotContain(ops);
    assertThat(CallerTokens.mayRead("acme", "acme")).isTrue();
    assertThat(CallerTokens.mayRead("acme", "globex")).isFalse();
    assertThat(CallerTokens.mayRead(CallerTokens.ALL_TENANTS, "globex")).isTrue();
    assertThat(CallerTokens.mayRead(null, "globex")).as("authentication off").isTrue();
    assertThat(CallerTokens.none().enabled()).isFalse();
  }

  @Test
  void shouldNameTheLineOfAMalformedEntryAndRefuseAnEmptyFile() throws Exception {
    Path file = dir.resolve("tokens");
    Files.writeString(file, "acme:" + CallerTokens.hash("t") + "\nglobex:not-a-hash\n");
    assertThatThrownBy(() -> CallerTokens.load(file))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line 2")
        .hasMessageContaining("tenant:sha256-of-token");

    Files.writeString(
        file, "acme:" + CallerTokens.hash("t") + "\nglobex:" + CallerTokens.hash("t"));
    assertThatThrownBy(() -> CallerTokens.load(file)).hasMessageContaining("already listed");

    Files.writeString(file, "# nobody yet\n");
    assertThatThrownBy(() -> CallerTokens.load(file)).hasMessageContaining("lists no token");

    assertThatThrownBy(() -> CallerTokens.load(dir.resolve("missing")))
        .hasMessageContaining("cannot read the API tokens file");
  }

  @Test
  void shouldReadEachTokensRoleWithReviewerAsTheDefault() throws Exception {
    String reader = CallerTokens.newToken();
    String reviewer = CallerTokens.newToken();
    String operator = CallerTokens.newToken();
    Path file = dir.resolve("roles");
    Files.writeString(
        file,
        "acme:"
            + CallerTokens.hash(reader)
            + ":reader\nacme:"
            + CallerTokens.hash(reviewer)
            + "\n*:"
            + CallerTokens.hash(operator)
            + ":OPERATOR\n");
    CallerTokens tokens = CallerTokens.load(file);

    CallerTokens.Caller r = tokens.callerOfToken(reader).orElseThrow();
    CallerTokens.Caller v = tokens.callerOfToken(reviewer).orElseThrow();
    CallerTokens.Caller o = tokens.callerOfToken(operator).orElseThrow();

    assertThat(r.may(CallerTokens.Role.REVIEWER)).isFalse();
    assertThat(v.role()).isEqualTo(CallerTokens.Role.REVIEWER);
    assertThat(v.may(CallerTokens.Role.OPERATOR)).isFalse();
    assertThat(o.may(CallerTokens.Role.OPERATOR)).isTrue();
    assertThat(o.reads("globex")).isTrue();
    assertThat(v.reads("globex")).isFalse();
    assertThat(tokens.callerOfToken("unknown")).isEmpty();
    assertThat(CallerTokens.none().callerOfToken(null))
        .contains(CallerTokens.Caller.UNAUTHENTICATED);
    Files.writeString(file, "acme:" + CallerTokens.hash(reader) + ":admin\n");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> CallerTokens.load(file))
        .hasMessageContaining("line 1")
        .hasMessageContaining("role reader, reviewer or operator");
  }
}
