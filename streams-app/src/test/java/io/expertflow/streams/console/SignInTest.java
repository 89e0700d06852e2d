package io.expertflow.streams.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.expertflow.streams.status.CallerTokens;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sign-in cookie over a real JDK HTTP server: Secure exactly where the browser came over TLS.
 */
class SignInTest {
  private static final String TOKEN = "a-token-for-acme";

  @TempDir Path dir;

  private HttpServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void serve() throws Exception {
    Path file = Files.writeString(dir.resolve("tokens"), "acme:" + CallerTokens.hash(TOKEN) + "\n");
    CallerTokens tokens = CallerTokens.load(file);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/console/signin", exchange -> SignIn.handle(exchange, tokens));
    server.createContext("/console/signout", SignIn::signOut);
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  @Test
  void shouldMarkTheCookieSecureBehindAProxyThatTerminatesTls() throws Exception {
    String cookie = signIn("https");

    assertThat(cookie)
        .startsWith(SignIn.COOKIE + "=" + TOKEN + ";")
        .contains("HttpOnly", "SameSite=Strict")
        .endsWith("; Secure");
    assertThat(post("/console/signout", "", "https").headers().firstValue("Set-Cookie"))
        .hasValueSatisfying(c -> assertThat(c).contains("Max-Age=0").endsWith("; Secure"));
  }

  @Test
  void shouldKeepThePlainHttpConsoleWorkingWithoutSecure() throws Exception {
    assertThat(signIn(null)).contains("HttpOnly").doesNotContain("Secure");
    assertThat(signIn("http")).doesNotContain("Secure");
  }

  private String signIn(String forwardedProto) throws Exception {
    HttpResponse<String> r = post("/console/signin", "token=" + TOKEN, forwardedProto);
    assertThat(r.statusCode()).isEqualTo(303);
    return r.headers().firstValue("Set-Cookie").orElseThrow();
  }

  private HttpResponse<String> post(String path, String form, String forwardedProto)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form));
    if (forwardedProto != null) {
      request.header("X-Forwarded-Proto", forwardedProto);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
