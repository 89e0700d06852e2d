package io.expertflow.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import kafka.Kafka;
import kafka.tools.StorageTool;

/**
 * Entry point of the broker's child JVM: formats the storage once (with the SCRAM credentials of a
 * SASL node), then runs {@code kafka.Kafka}.
 *
 * <p>Formatting here rather than in the parent keeps Kafka's tooling and its logging out of the
 * parent JVM and costs no second JVM start. A daemon thread reads standard input, which the parent
 * never writes: end of input means the parent JVM is gone (even after {@code kill -9}), and the
 * node then shuts down cleanly instead of living on as an orphan holding its ports.
 */
public final class KafkaNodeMain {

  private KafkaNodeMain() {}

  /**
   * Runs the node.
   *
   * @param args the server properties file and the cluster id to format new storage with
   */
  public static void main(String[] args) {
    if (args.length != 2 && args.length != 3) {
      System.err.println(
          "usage: KafkaNodeMain <server.properties> <cluster-id> [<scram-credentials-file>]");
      System.exit(2);
    }
    exitWhenParentEnds(System.in);
    int formatted =
        format(
            args[0], args[1], args.length == 3 ? scramCredentials(args[2]) : List.of(), System.out);
    if (formatted != 0) {
      System.err.println("Formatting the storage failed with exit code " + formatted);
      System.exit(formatted);
    }
    Kafka.main(new String[] {args[0]});
  }

  private static int format(
      String properties, String clusterId, List<String> scramCredentials, PrintStream out) {
    List<String> command =
        new ArrayList<>(
            List.of(
                "format", "--config", properties, "--cluster-id", clusterId, "--ignore-formatted"));
    for (String credential : scramCredentials) {
      command.add("--add-scram");
      command.add(credential);
    }
    try {
      return StorageTool.execute(command.toArray(String[]::new), out);
    } catch (RuntimeException e) {
      e.printStackTrace();
      return 1;
    }
  }

  /** One {@code --add-scram} argument a line; a file keeps the passwords off the command line. */
  private static List<String> scramCredentials(String file) {
    try {
      return Files.readAllLines(Path.of(file)).stream().filter(line -> !line.isBlank()).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read the SCRAM credentials in " + file, e);
    }
  }

  private static void exitWhenParentEnds(InputStream parentPipe) {
    Thread watcher =
        new Thread(
            () -> {
              try {
                while (parentPipe.read() != -1) {
                  // the parent never writes; anything read is ignored
                }
              } catch (IOException e) {
                // a broken pipe means the same as end of input
              }
              System.err.println("Parent process ended; shutting the Kafka node down");
              System.exit(0);
            },
            "parent-watch");
    watcher.setDaemon(true);
    watcher.start();
  }
}
