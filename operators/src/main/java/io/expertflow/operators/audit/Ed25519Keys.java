package io.expertflow.operators.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Ed25519 keys as files and text, on the JDK's own provider: a private key is a PKCS#8 PEM ({@code
 * -----BEGIN PRIVATE KEY-----}), its base64 DER, or the raw 32-byte seed; a public key is an X.509
 * PEM ({@code -----BEGIN PUBLIC KEY-----}) or the raw 32 bytes. A key's id is the first 16 hex
 * digits of the SHA-256 of its X.509 public key. Stateless; thread-safe.
 */
public final class Ed25519Keys {
  /** Length of an Ed25519 seed and of a raw public key. */
  public static final int RAW_LENGTH = 32;

  private static final String ALGORITHM = "Ed25519";
  private static final String PRIVATE_PEM = "PRIVATE KEY";
  private static final String PUBLIC_PEM = "PUBLIC KEY";
  private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");
  private static final byte[] PKCS8_PREFIX =
      HexFormat.of().parseHex("302e020100300506032b657004220420");

  private Ed25519Keys() {}

  /** A new key pair from the platform's strong random source. */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK provides Ed25519 since Java 15", e);
    }
  }

  /** A new signing key (with its public half) from the platform's strong random source. */
  public static AuditSigningKey generateSigningKey() {
    KeyPair pair = generate();
    return AuditSigningKey.checked(pair.getPrivate(), pair.getPublic());
  }

  /** The id written into every record the private half of {@code key} signs. */
  public static String keyId(PublicKey key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getEncoded());
      return HexFormat.of().formatHex(hash, 0, 8);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("every Java platform provides SHA-256", e);
    }
  }

  /** PEM text of a private key (PKCS#8). */
  public static String privatePem(PrivateKey key) {
    return pem(PRIVATE_PEM, key.getEncoded());
  }

  /** PEM text of a public key (X.509). */
  public static String publicPem(PublicKey key) {
    return pem(PUBLIC_PEM, key.getEncoded());
  }

  /**
   * The signing key in {@code file}: PKCS#8 PEM or a raw 32-byte seed.
   *
   * @throws IllegalArgumentException naming the file and what it holds instead
   */
  public static AuditSigningKey readPrivate(Path file) {
    byte[] content = read(file, "audit signing key");
    if (content.length == RAW_LENGTH) {
      return fromSeed(content);
    }
    String text = new String(content, StandardCharsets.US_ASCII);
    if (text.contains("-----BEGIN " + PRIVATE_PEM + "-----")) {
      return parsePrivate(text, "file " + file);
    }
    throw new IllegalArgumentException(
        "audit signing key file "
            + file
            + " is neither a PKCS#8 PEM private key (-----BEGIN PRIVATE KEY-----) nor a raw 32-byte"
            + " Ed25519 seed (it has "
            + content.length
            + " bytes); make one with 'expertflow audit keygen --out DIR'");
  }

  /**
   * The signing key in {@code text}: PKCS#8 PEM, or base64 of the PKCS#8 DER or of the 32-byte
   * seed; {@code origin} names where it came from in errors (never the key itself).
   */
  public static AuditSigningKey parsePrivate(String text, String origin) {
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(pemBody(text.trim(), PRIVATE_PEM));
    } catch (IllegalArgumentException e) {
      throw badPrivate(origin, "it is not PEM or base64");
    }
    if (der.length == RAW_LENGTH) {
      return fromSeed(der);
    }
    try {
      PrivateKey key =
          KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
      byte[] seed =
          ((EdECPrivateKey) key)
              .getBytes()
              .orElseThrow(() -> badPrivate(origin, "the key has no seed bytes"));
      return fromSeed(seed);
    } catch (GeneralSecurityException | ClassCastException e) {
      throw badPrivate(origin, "it is not an Ed25519 PKCS#8 key (" + e.getMessage() + ")");
    }
  }

  /**
   * The public key in {@code file}: X.509 PEM or the raw 32 bytes.
   *
   * @throws IllegalArgumentException naming the file and what it holds instead
   */
  public static PublicKey readPublic(Path file) {
    byte[] content = read(file, "public key");
    byte[] der;
    if (content.length == RAW_LENGTH) {
      der = concat(X509_PREFIX, content);
    } else {
      String text = new String(content, StandardCharsets.US_ASCII);
      if (!text.contains("-----BEGIN " + PUBLIC_PEM + "-----")) {
        throw new IllegalArgumentException(
            "public key file "
                + file
                + " is neither an X.509 PEM public key (-----BEGIN PUBLIC KEY-----) nor a raw"
                + " 32-byte Ed25519 key; use the .pub.pem file 'expertflow audit keygen' wrote");
      }
      der = Base64.getMimeDecoder().decode(pemBody(text.trim(), PUBLIC_PEM));
    }
    try {
      return KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(
          "public key file " + file + " holds no Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * The key pair of a 32-byte seed. The JDK derives a public key only while generating a pair, so
   * the generator is handed the seed as its random bytes; the pair is checked by a test signature.
   */
  static AuditSigningKey fromSeed(byte[] seed) {
    SecureRandom fixed =
        new SecureRandom() {
          private static final long serialVersionUID = 1L;

          @Override
          public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
          }
        };
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(ALGORITHM);
      generator.initialize(NamedParameterSpec.ED25519, fixed);
      KeyPair pair = generator.generateKeyPair();
      PrivateKey fromPkcs8 =
          KeyFactory.getInstance(ALGORITHM)
              .generatePrivate(new PKCS8EncodedKeySpec(concat(PKCS8_PREFIX, seed)));
      return AuditSigningKey.checked(fromPkcs8, pair.getPublic());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the JDK provides Ed25519 since Java 15", e);
    }
  }

  private static IllegalArgumentException badPrivate(String origin, String why) {
    return new IllegalArgumentException(
        "the audit signing key from "
            + origin
            + " cannot be read: "
            + why
            + "; give a PKCS#8 PEM private key, its base64 DER, or base64 of a 32-byte Ed25519"
            + " seed ('expertflow audit keygen --out DIR' makes one)");
  }

  private static String pemBody(String text, String type) {
    String begin = "-----BEGIN " + type + "-----";
    String end = "-----END " + type + "-----";
    int from = text.indexOf(begin);
    if (from < 0) {
      return text;
    }
    int to = text.indexOf(end, from);
    if (to < 0) {
      throw new IllegalArgumentException("PEM without " + end);
    }
    return text.substring(from + begin.length(), to);
  }

  private static String pem(String type, byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }

  private static byte[] read(Path file, String what) {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the " + what + " file " + file + ": " + e, e);
    }
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
