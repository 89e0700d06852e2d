package io.expertflow.streams.console;

import com.sun.net.httpserver.HttpExchange;
import io.expertflow.streams.status.CallerTokens;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's model versions: the page of every model's versions ({@code versions}) and an
 * operator's rollback ({@code versions/rollback}, POST). Thread-safe.
 */
final class VersionsConsole {
  private static final Logger LOG = LoggerFactory.getLogger(VersionsConsole.class);

  private final ModelVersionReader versions;
  private final VersionRollbacks rollbacks;

  /**
   * @param versions reads the model versions
   * @param rollbacks rolls a model back for an operator; null: rollback stays on the command line
   */
  VersionsConsole(ModelVersionReader versions, VersionRollbacks rollbacks) {
    this.versions = versions;
    this.rollbacks = rollbacks;
  }

  void page(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    FormData query = FormData.parse(exchange.getRequestURI().getRawQuery());
    String rolled = query.get("rolled");
    try {
      ConsoleResponses.html(
          exchange,
          200,
          VersionPages.page(
              versions.read(),
              rollbacks != null && caller.may(CallerTokens.Role.OPERATOR),
              rolled == null
                  ? null
                  : "Rolled back: "
                      + query.get("model")
                      + " now serves "
                      + rolled
                      + "; every worker switches between batches."));
    } catch (RuntimeException e) {
      ConsoleResponses.unavailable(
          exchange, "Model versions", "cannot read the model versions now: " + e.getMessage());
    }
  }

  void rollback(HttpExchange exchange, CallerTokens.Caller caller) throws IOException {
    if (rollbacks == null || !caller.may(CallerTokens.Role.OPERATOR)) {
      ConsoleResponses.error(
          exchange,
          403,
          "Not rolled back",
          rollbacks == null
              ? "This streams app cannot roll back; use expertflow versions rollback."
              : "Rolling back needs a token with the operator role.",
          "/console/versions");
      return;
    }
    FormData form;
    try {
      form = FormData.read(exchange.getRequestBody());
    } catch (IllegalArgumentException e) {
      ConsoleResponses.error(exchange, 400, "Not rolled back", e.getMessage(), "/console/versions");
      return;
    }
    String model = form.get("model");
    String version = form.get("version");
    String reason = form.get("reason");
    if (model == null || version == null || reason == null || reason.isBlank()) {
      ConsoleResponses.error(
          exchange,
          400,
          "Not rolled back",
          "Give the model, the version and a reason.",
          "/console/versions");
      return;
    }
    String served;
    try {
      served = rollbacks.rollback(model, version, reason.strip() + " (console)");
    } catch (IllegalArgumentException | IllegalStateException e) {
      ConsoleResponses.error(exchange, 400, "Not rolled back", e.getMessage(), "/console/versions");
      return;
    }
    LOG.info("console: model {} rolled back to {} by an operator", model, served);
    ConsoleResponses.redirect(
        exchange, "/console/versions?model=" + Html.url(model) + "&rolled=" + Html.url(served));
  }
}
