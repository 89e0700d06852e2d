package io.expertflow.cli.commands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Sends node faults to the {@link ClusterControlServer} of the cluster that {@code expertflow up
 * --brokers N} runs, found through the stack file of the working folder unless given.
 */
final class ClusterControlClient {

  /** A start waits for the node to be ready: as long as a slow start on a busy machine. */
  private static final Duration ANSWER_TIMEOUT = Duration.ofMinutes(3);

  private final String url;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private ClusterControlClient(String url) {
    this.url = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
  }

  /**
   * The client of {@code url}, or of the control URL in {@code stackFile} when {@code url} is null.
   *
   * @throws IllegalStateException when neither names a control URL, saying how to start a cluster
   */
  static ClusterControlClient of(String url, Path stackFile) {
    if (url != null && !url.isBlank()) {
      return new ClusterControlClient(url);
    }
    String fromStack = ConnectionOptions.stackValue(stackFile, ClusterControlServer.STACK_KEY);
    if (fromStack != null) {
      return new ClusterControlClient(fromStack);
    }
    throw new IllegalStateException(
        "no local Kafka cluster runs from this folder ("
            + stackFile
            + " names no "
            + ClusterControlServer.STACK_KEY
            + "): start one with 'expertflow up --brokers 3' here, or pass --control-url");
  }

  /** Asks for {@code action} on node {@code nodeId} and returns the answer, once it is done. */
  String act(String action, int nodeId) {
    return send(
        HttpRequest.newBuilder(URI.create(url + "/nodes/" + nodeId + "/" + action))
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** The list of nodes with their addresses, processes and logs. */
  String nodes() {
    return send(HttpRequest.newBuilder(URI.create(url + "/nodes")).GET());
  }

  private String send(HttpRequest.Builder request) {
    HttpResponse<String> response;
    try {
      response =
          http.send(request.timeout(ANSWER_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      throw new IllegalStateException(
          "nothing answers at " + url + ": has 'expertflow up --brokers N' stopped?", e);
    } catch (IOException e) {
      throw new UncheckedIOException("the cluster control at " + url + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + url, e);
    }
    if (response.statusCode() != 200) {
      throw new IllegalStateException(response.body().strip());
    }
    return response.body();
  }
}
