package io.expertflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Mutual TLS for a local Kafka node: a certificate authority of its own, a certificate for the node
 * (for {@code 127.0.0.1} and {@code localhost}) and one per user, each signed by that authority,
 * made with the JDK's {@code keytool} into PKCS12 files in one folder. A listener of the node
 * ({@link #listenerProperties}) demands a client certificate signed by the authority, and maps the
 * certificate's subject {@code CN=name} to the principal {@code User:name}, the same principal a
 * SASL login as {@code name} has, so one set of ACLs serves both. A user's client settings ({@link
 * #clientProperties}) are what a {@code --command-config} file holds for mutual TLS.
 *
 * <p>The keys are elliptic-curve (P-256) and valid for 30 days; the files share one random
 * password, and their folder is the owner's only. For trying things out and tests; a production
 * cluster's certificates come from its own authority (for Strimzi, the clients CA of {@code
 * KafkaUser}s with {@code authentication: tls}).
 */
public final class LocalKafkaTls {

  /**
   * The principal mapping that turns {@code CN=name} (and any further fields) into {@code name}.
   */
  public static final String PRINCIPAL_MAPPING = "RULE:^CN=([^,]+).*$/$1/,DEFAULT";

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]+");
  private static final String STORE_TYPE = "PKCS12";
  private static final String CA = "ca";
  private static final String NODE = "kafka-node";

  private final Path dir;
  private final String password;
  private final Set<String> users;

  private LocalKafkaTls(Path dir, String password, Set<String> users) {
    this.dir = dir;
    this.password = password;
    this.users = Set.copyOf(users);
  }

  /**
   * Makes the authority, the node's certificate and one per user in {@code dir} (created if
   * missing).
   *
   * @throws IllegalArgumentException when a user name has characters other than letters, digits,
   *     dots, dashes and underscores
   * @throws IllegalStateException when {@code keytool} fails; its output is in the message
   */
  public static LocalKafkaTls create(Path dir, Set<String> users) {
    for (String user : users) {
      if (!NAME.matcher(user).matches() || user.equals(CA) || user.equals(NODE)) {
        throw new IllegalArgumentException(
            "User name '"
                + user
                + "' may hold only letters, digits, dots, dashes and underscores, and must not be '"
                + CA
                + "' or '"
                + NODE
                + "'.");
      }
    }
    byte[] secret = new byte[18];
    new SecureRandom().nextBytes(secret);
    LocalKafkaTls tls =
        new LocalKafkaTls(
            dir, Base64.getUrlEncoder().withoutPadding().encodeToString(secret), users);
    tls.make();
    return tls;
  }

  /** The users with a certificate. */
  public Set<String> users() {
    return users;
  }

  /** The file holding the authority's certificate only, for clients to trust. */
  public Path truststore() {
    return dir.resolve("truststore.p12");
  }

  /** The PKCS12 file holding {@code user}'s key and certificate chain. */
  public Path keystore(String user) {
    if (!users.contains(user) && !user.equals(NODE)) {
      throw new IllegalArgumentException("No certificate for user " + user + ".");
    }
    return dir.resolve(user + ".p12");
  }

  /**
   * The client settings of {@code user}: SSL with its certificate, trusting the authority. Without
   * {@code bootstrap.servers}.
   */
  public Map<String, String> clientProperties(String user) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("security.protocol", "SSL");
    p.put("ssl.keystore.type", STORE_TYPE);
    p.put("ssl.keystore.location", keystore(user).toString());
    p.put("ssl.keystore.password", password);
    p.put("ssl.key.password", password);
    p.put("ssl.truststore.type", STORE_TYPE);
    p.put("ssl.truststore.location", truststore().toString());
    p.put("ssl.truststore.password", password);
    return p;
  }

  /**
   * The broker settings of an SSL listener named {@code listener} (as in {@code listeners}) that
   * demands a client certificate signed by the authority and maps its subject to {@code User:CN}.
   */
  public Map<String, String> listenerProperties(String listener) {
    String prefix = "listener.name." + listener.toLowerCase(java.util.Locale.ROOT) + ".";
    Map<String, String> p = new LinkedHashMap<>();
    p.put(prefix + "ssl.client.auth", "required");
    p.put(prefix + "ssl.keystore.type", STORE_TYPE);
    p.put(prefix + "ssl.keystore.location", keystore(NODE).toString());
    p.put(prefix + "ssl.keystore.password", password);
    p.put(prefix + "ssl.key.password", password);
    p.put(prefix + "ssl.truststore.type", STORE_TYPE);
    p.put(prefix + "ssl.truststore.location", truststore().toString());
    p.put(prefix + "ssl.truststore.password", password);
    p.put("ssl.principal.mapping.rules", PRINCIPAL_MAPPING);
    return p;
  }

  private void make() {
    OwnerOnlyFile.folder(dir);
    Path ca = dir.resolve(CA + ".p12");
    Path caPem = dir.resolve(CA + ".pem");
    keyPair(CA, "CN=expertflow-local-ca", ca, "-ext", "bc:c");
    keytool(
        "-exportcert", "-rfc", "-alias", CA, "-keystore", ca.toString(), "-file", caPem.toString());
    trustAuthority(truststore());
    // each certificate is five keytool runs of about 0.4 s; one per core at a time
    ExecutorService pool =
        Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
    try {
      List<Future<?>> made = new ArrayList<>();
      made.add(pool.submit(() -> signed(NODE, "CN=" + NODE, "san=ip:127.0.0.1,dns:localhost")));
      for (String user : users) {
        made.add(pool.submit(() -> signed(user, "CN=" + user, null)));
      }
      for (Future<?> f : made) {
        f.get();
      }
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while making the local TLS files", e);
    } finally {
      pool.shutdownNow();
    }
  }

  /** A key pair for {@code name}, its certificate signed by the authority, in {@code name.p12}. */
  private void signed(String name, String subject, String extension) {
    Path store = dir.resolve(name + ".p12");
    Path request = dir.resolve(name + ".csr");
    Path certificate = dir.resolve(name + ".pem");
    keyPair(name, subject, store);
    keytool("-certreq", "-alias", name, "-keystore", store.toString(), "-file", request.toString());
    List<String> sign =
        new ArrayList<>(
            List.of(
                "-gencert",
                "-alias",
                CA,
                "-keystore",
                dir.resolve(CA + ".p12").toString(),
                "-infile",
                request.toString(),
                "-outfile",
                certificate.toString(),
                "-rfc",
                "-validity",
                "30"));
    if (extension != null) {
      sign.addAll(List.of("-ext", extension));
    }
    keytool(sign.toArray(String[]::new));
    trustAuthority(store);
    keytool(
        "-importcert",
        "-alias",
        name,
        "-file",
        certificate.toString(),
        "-keystore",
        store.toString());
  }

  /** Adds the authority's certificate to {@code store} (created if missing) as trusted. */
  private void trustAuthority(Path store) {
    keytool(
        "-importcert",
        "-noprompt",
        "-alias",
        CA,
        "-file",
        dir.resolve(CA + ".pem").toString(),
        "-keystore",
        store.toString());
  }

  /**
   * A new P-256 key pair under {@code alias}, self-signed for {@code subject}, in {@code store}.
   */
  private void keyPair(String alias, String subject, Path store, String... extra) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "-genkeypair",
                "-alias",
                alias,
                "-dname",
                subject,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-validity",
                "30",
                "-keystore",
                store.toString()));
    args.addAll(List.of(extra));
    keytool(args.toArray(String[]::new));
  }

  /** Runs the JDK's keytool with the store type and password of these files. */
  private void keytool(String... args) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    command.addAll(List.of("-storetype", STORE_TYPE, "-storepass:env", "EXPERTFLOW_TLS_PASSWORD"));
    if (List.of(args).contains("-genkeypair")
        || List.of(args).contains("-certreq")
        || List.of(args).contains("-gencert")) {
      command.addAll(List.of("-keypass:env", "EXPERTFLOW_TLS_PASSWORD"));
    }
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("EXPERTFLOW_TLS_PASSWORD", password);
    try {
      Process process = builder.start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
        throw new IllegalStateException(
            "keytool "
                + args[0]
                + " failed for the local TLS files in "
                + dir
                + ": "
                + new String(output, StandardCharsets.UTF_8).strip());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not run keytool", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running keytool", e);
    }
  }
}
