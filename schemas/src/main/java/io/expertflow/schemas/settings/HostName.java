package io.expertflow.schemas.settings;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** The computed default that names this machine (worker and instance ids). Stateless. */
public final class HostName {
  private HostName() {}

  /** This machine's host name, or {@code fallback} where it cannot be resolved. */
  public static String orElse(String fallback) {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return fallback;
    }
  }
}
