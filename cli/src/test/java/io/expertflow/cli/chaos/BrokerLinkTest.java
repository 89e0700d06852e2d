package io.expertflow.cli.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay over real sockets, in front of an echo server. */
class BrokerLinkTest {
  private ServerSocket echo;
  private BrokerLink link;

  @BeforeEach
  void startEchoServerAndLink() throws IOException {
    echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t =
        new Thread(
            () -> {
              while (!echo.isClosed()) {
                try {
                  Socket s = echo.accept();
                  Thread e =
                      new Thread(
                          () -> {
                            try (s) {
                              s.getInputStream().transferTo(s.getOutputStream());
                            } catch (IOException ignored) {
                              // the peer went away
                            }
                          });
                  e.setDaemon(true);
                  e.start();
                } catch (IOException closed) {
                  return;
                }
              }
            });
    t.setDaemon(true);
    t.start();
    link = new BrokerLink(0, "127.0.0.1", echo.getLocalPort());
  }

  @AfterEach
  void close() throws IOException {
    link.close();
    echo.close();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket("127.0.0.1", link.port());
    s.setSoTimeout(5_000);
    return s;
  }

  private static int roundTrip(Socket s, int b) throws IOException {
    s.getOutputStream().write(b);
    s.getOutputStream().flush();
    return s.getInputStream().read();
  }

  @Test
  void shouldForwardBothWaysWhileHealthy() throws IOException {
    try (Socket s = connect()) {
      assertThat(roundTrip(s, 'a')).isEqualTo('a');
      assertThat(roundTrip(s, 'b')).isEqualTo('b');
    }
  }

  @Test
  void shouldPassNothingWhileCutOnOpenOrNewConnectionsAndResetThemOnHeal() throws IOException {
    try (Socket before = connect()) {
      assertThat(roundTrip(before, 'a')).isEqualTo('a');

      link.cut();
      assertThat(link.isCut()).isTrue();
      before.setSoTimeout(500);
      // a blackhole: the write goes out, no answer comes back, and the connection stays open
      before.getOutputStream().write('b');
      assertThatThrownBy(() -> before.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);
      try (Socket during = connect()) {
        during.setSoTimeout(500);
        during.getOutputStream().write('c'); // accepted, not refused
        assertThatThrownBy(() -> during.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);

        link.heal();

        // the connections that lived through the cut are reset; what was held back is dropped
        assertThat(readEndOrReset(before)).isTrue();
        assertThat(readEndOrReset(during)).isTrue();
      }
    }
    try (Socket after = connect()) {
      assertThat(roundTrip(after, 'd')).isEqualTo('d');
    }
  }

  /** Whether the connection is closed by the far end (end of stream or reset) within 5 s. */
  private static boolean readEndOrReset(Socket s) throws IOException {
    s.setSoTimeout(5_000);
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }
}
