package io.expertflow.streams.status;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;

/** JSON answers of the HTTP API (request status, jobs): bodies and errors. Stateless. */
public final class JsonResponses {
  private JsonResponses() {}

  /** {@code {"error": message, idField: id}} ({@code idField} left out when {@code id} is null). */
  public static byte[] error(String message, String idField, String id) throws IOException {
    ObjectNode body = JsonSerde.MAPPER.createObjectNode().put("error", message);
    if (id != null) {
      body.put(idField, id);
    }
    return JsonSerde.MAPPER.writeValueAsBytes(body);
  }

  /** Sends {@code body} as {@code application/json} with {@code status}. */
  public static void send(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
