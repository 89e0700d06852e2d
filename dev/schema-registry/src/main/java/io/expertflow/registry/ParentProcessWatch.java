package io.expertflow.registry;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.StartupEvent;
import java.io.IOException;
import java.io.InputStream;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Ends the server when the process that launched it ends, even by {@code kill -9}: the launcher
 * keeps the server's standard input open as a pipe, which reaches end-of-file when the launcher is
 * gone. Off unless {@value #ENABLED_PROPERTY} is true (a server started by hand from a shell would
 * otherwise stop at once when its input is not a terminal).
 *
 * <p>One daemon thread blocks on standard input; nothing else touches it.
 */
@ApplicationScoped
public class ParentProcessWatch {

  static final String ENABLED_PROPERTY = "expertflow.registry.exit-with-parent";

  private static final Logger log = Logger.getLogger(ParentProcessWatch.class);

  @ConfigProperty(name = ENABLED_PROPERTY, defaultValue = "false")
  boolean enabled;

  void onStart(@Observes StartupEvent event) {
    if (!enabled) {
      return;
    }
    Thread watch = new Thread(() -> awaitEndOfInput(System.in), "parent-process-watch");
    watch.setDaemon(true);
    watch.start();
  }

  private static void awaitEndOfInput(InputStream input) {
    byte[] discard = new byte[256];
    try {
      while (input.read(discard) != -1) {
        // the launcher writes nothing; anything it does write is ignored
      }
    } catch (IOException e) {
      log.debugf(e, "Reading standard input failed; taking it as the launcher's end");
    }
    log.info("Standard input closed: the launching process has ended; shutting down");
    Quarkus.asyncExit();
  }
}
