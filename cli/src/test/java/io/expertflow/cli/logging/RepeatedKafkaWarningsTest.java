package io.expertflow.cli.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.net.URL;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RepeatedKafkaWarningsTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final LoggerContext context = new LoggerContext();
  private final ListAppender<ILoggingEvent> events = new ListAppender<>();
  private Logger network;

  @BeforeEach
  void setUp() {
    RepeatedKafkaWarnings filter = new RepeatedKafkaWarnings(now::get);
    filter.setContext(context);
    filter.start();
    context.addTurboFilter(filter);
    events.setContext(context);
    events.start();
    Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    root.setLevel(Level.INFO);
    root.addAppender(events);
    network = context.getLogger("org.apache.kafka.clients.NetworkClient");
  }

  // Kafka's clients hand the logger finished text: their log context formats each message itself
  // to put the client's name first

  @Test
  void shouldLogAWarningThatRepeatsWordForWordOncePerWindowAndSaySo() {
    String unreachable =
        "[Consumer clientId=vm-versions, groupId=null] Connection to node -1 (/127.0.0.1:19) could"
            + " not be established. Node may not be available.";

    for (int i = 0; i < 50; i++) {
      network.warn(unreachable);
      now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500)); // the reconnect backoff's pace
    }

    // 50 warnings over 25 s: the first, and one line saying repeats are held back
    assertThat(messages())
        .containsExactly(
            unreachable,
            "A Kafka client warning repeats; the same warning is logged at most once every 30 s");

    now.addAndGet(TimeUnit.SECONDS.toNanos(RepeatedKafkaWarnings.WINDOW_SECONDS));
    network.warn(unreachable);
    network.warn(unreachable);
    assertThat(messages()).hasSize(3); // once more after the window, and the note is not repeated
  }

  @Test
  void shouldLetOtherNodesClientsAndMessagesErrorsAndTheProjectsOwnWarningsThrough() {
    String unreachable = "[Producer clientId=p1] Connection to node -1 (/127.0.0.1:19) failed.";
    network.warn(unreachable);
    network.warn(unreachable.replace("-1 (/127.0.0.1:19)", "2 (/127.0.0.1:9094)")); // a node
    network.warn(unreachable.replace("p1", "p2")); // another client
    network.warn("[Producer clientId=p1] Bootstrap broker 127.0.0.1:19 disconnected");
    network.warn("[Producer clientId=p1] Connection to node {} ({}) failed.", "-1", "/127.0.0.1:9");
    for (int i = 0; i < 3; i++) {
      network.error(unreachable);
      context.getLogger("io.expertflow.worker.WorkerApp").warn("the worker's own warning");
    }

    assertThat(events.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(8);
    assertThat(events.list.stream().filter(e -> e.getLevel() == Level.ERROR)).hasSize(3);
  }

  @Test
  void shouldTakeAWarningThatDiffersOnlyInItsRequestsCorrelationIdForARepeat() {
    // a new streams app's consumers warn so for every metadata request until its topics exist
    String metadata =
        "[Consumer clientId=c1] The metadata response from the cluster reported a recoverable"
            + " issue with correlation id %d : {%s=UNKNOWN_TOPIC_OR_PARTITION}";
    for (int correlationId = 2; correlationId < 12; correlationId += 4) {
      network.warn(String.format(metadata, correlationId, "jobs-repartition"));
    }
    network.warn(String.format(metadata, 14, "other-topic"));

    assertThat(events.list.stream().filter(e -> e.getLevel() == Level.WARN)).hasSize(2);
  }

  @Test
  void shouldBeRegisteredByTheCommandsLoggingConfiguration() throws Exception {
    LoggerContext configured = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(configured);
    URL config = RepeatedKafkaWarnings.class.getResource("/logback.xml");
    configurator.doConfigure(config);

    assertThat(configured.getTurboFilterList())
        .anySatisfy(f -> assertThat(f).isInstanceOf(RepeatedKafkaWarnings.class));
  }

  private List<String> messages() {
    return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
