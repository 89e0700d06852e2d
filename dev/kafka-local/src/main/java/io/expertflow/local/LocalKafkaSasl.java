package io.expertflow.local;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * SASL authentication and ACL authorization of a local Kafka node: its client listener speaks
 * SASL_PLAINTEXT with SCRAM-SHA-512 and PLAIN, KRaft's {@code StandardAuthorizer} checks every
 * request against the ACLs, a principal without ACLs may do nothing ({@code
 * allow.everyone.if.no.acl.found=false}), and one super user provisions topics and ACLs.
 *
 * <p>Every user (the super user too) gets a SCRAM-SHA-512 credential, written into the metadata log
 * when the storage is formatted, and a PLAIN password in the listener's JAAS configuration. The
 * controller listener and the traffic between nodes authenticate as the super user with PLAIN,
 * which needs no credential in the metadata log. Immutable.
 */
public final class LocalKafkaSasl {

  /** The super user's name unless another is given. */
  public static final String DEFAULT_SUPER_USER = "admin";

  /** The mechanism clients of {@link #clientProperties} use. */
  public static final String SCRAM_MECHANISM = "SCRAM-SHA-512";

  /** The other mechanism the client listener accepts. */
  public static final String PLAIN_MECHANISM = "PLAIN";

  /** KRaft's authorizer: ACLs kept in the metadata log. */
  public static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");

  private final String superUser;
  private final String superPassword;
  private final Map<String, String> users;

  private LocalKafkaSasl(String superUser, String superPassword, Map<String, String> users) {
    this.superUser = checkName(superUser);
    this.superPassword = checkPassword(superUser, superPassword);
    users.forEach(
        (name, password) -> {
          checkName(name);
          checkPassword(name, password);
        });
    if (users.containsKey(superUser)) {
      throw new IllegalArgumentException(
          "User " + superUser + " is the super user; give other users other names.");
    }
    this.users = Map.copyOf(users);
  }

  /**
   * A super user and other users.
   *
   * @param users name to password of each user that is not a super user; ACLs say what they may do
   * @throws IllegalArgumentException when a name has characters other than letters, digits, dots,
   *     dashes and underscores, or a password is empty or holds a quote or a backslash
   */
  public static LocalKafkaSasl of(
      String superUser, String superPassword, Map<String, String> users) {
    return new LocalKafkaSasl(superUser, superPassword, new LinkedHashMap<>(users));
  }

  public String superUser() {
    return superUser;
  }

  /** Name to password of every user but the super user. */
  public Map<String, String> users() {
    return users;
  }

  /**
   * The client settings of {@code user} (the super user or one of {@link #users}): SASL_PLAINTEXT
   * with SCRAM-SHA-512, as a {@code --command-config} file holds them. Without {@code
   * bootstrap.servers}.
   */
  public Map<String, String> clientProperties(String user) {
    String password = user.equals(superUser) ? superPassword : users.get(user);
    if (password == null) {
      throw new IllegalArgumentException("No user " + user + " on this broker.");
    }
    return Map.of(
        "security.protocol",
        "SASL_PLAINTEXT",
        "sasl.mechanism",
        SCRAM_MECHANISM,
        "sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + user
            + "\" password=\""
            + password
            + "\";");
  }

  /**
   * The broker properties that replace the PLAINTEXT listeners with SASL_PLAINTEXT ones and turn
   * the authorizer on.
   */
  Map<String, String> brokerProperties(String host, int clientPort, int controllerPort) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put(
        "listeners",
        "SASL_PLAINTEXT://"
            + host
            + ":"
            + clientPort
            + ",CONTROLLER://"
            + host
            + ":"
            + controllerPort);
    p.put("advertised.listeners", "SASL_PLAINTEXT://" + host + ":" + clientPort);
    p.put("inter.broker.listener.name", "SASL_PLAINTEXT");
    p.put(
        "listener.security.protocol.map",
        "SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("sasl.enabled.mechanisms", SCRAM_MECHANISM + "," + PLAIN_MECHANISM);
    p.put("sasl.mechanism.inter.broker.protocol", PLAIN_MECHANISM);
    p.put("sasl.mechanism.controller.protocol", PLAIN_MECHANISM);
    p.put("listener.name.controller.sasl.enabled.mechanisms", PLAIN_MECHANISM);
    p.put("listener.name.controller.plain.sasl.jaas.config", plainJaas(Map.of()));
    p.put("listener.name.sasl_plaintext.plain.sasl.jaas.config", plainJaas(users));
    p.put(
        "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    p.put("authorizer.class.name", AUTHORIZER);
    p.put("super.users", "User:" + superUser);
    p.put("allow.everyone.if.no.acl.found", "false");
    return p;
  }

  /**
   * The SCRAM credentials that formatting the storage writes into the metadata log, one {@code
   * kafka-storage format --add-scram} argument each.
   */
  List<String> scramCredentials() {
    Map<String, String> all = new LinkedHashMap<>();
    all.put(superUser, superPassword);
    all.putAll(users);
    return all.entrySet().stream()
        .map(
            user ->
                SCRAM_MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]")
        .toList();
  }

  /** PLAIN's JAAS line: the node's own login as the super user, and every user's password. */
  private String plainJaas(Map<String, String> others) {
    StringBuilder jaas =
        new StringBuilder("org.apache.kafka.common.security.plain.PlainLoginModule required")
            .append(" username=\"")
            .append(superUser)
            .append("\" password=\"")
            .append(superPassword)
            .append("\" user_")
            .append(superUser)
            .append("=\"")
            .append(superPassword)
            .append('"');
    others.forEach(
        (name, password) ->
            jaas.append(" user_").append(name).append("=\"").append(password).append('"'));
    return jaas.append(';').toString();
  }

  private static String checkName(String name) {
    Objects.requireNonNull(name, "user name");
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "User name '" + name + "' may hold only letters, digits, dots, dashes and underscores.");
    }
    return name;
  }

  private static String checkPassword(String user, String password) {
    Objects.requireNonNull(password, "password of " + user);
    if (password.isEmpty()
        || password.contains("\"")
        || password.contains("\\")
        || password.contains(",")
        || password.contains("]")) {
      throw new IllegalArgumentException(
          "The password of "
              + user
              + " must not be empty nor hold a quote, a backslash, a comma or ']'.");
    }
    return password;
  }
}
