package dev.storymagic.server;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * An RSA signing key with a self-signed certificate, made with the JDK's keytool, and
 * Firebase-style ID tokens signed with it.
 */
final class TestKeys {
  static final String PROJECT = "storymagic-test";
  static final String ISSUER = "https://securetoken.google.com/" + PROJECT;

  final String kid;
  final PrivateKey privateKey;
  final X509Certificate certificate;

  private TestKeys(String kid, PrivateKey privateKey, X509Certificate certificate) {
    this.kid = kid;
    this.privateKey = privateKey;
    this.certificate = certificate;
  }

  static TestKeys generate(String kid) throws Exception {
    Path dir = Files.createTempDirectory("storymagic-keys");
    Path store = dir.resolve("key.p12");
    String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
    Process p =
        new ProcessBuilder(
                keytool,
                "-genkeypair",
                "-alias",
                "k",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-sigalg",
                "SHA256withRSA",
                "-dname",
                "CN=storymagic-test",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed: " + output);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Files.delete(store);
    Files.delete(dir);
    return new TestKeys(
        kid,
        (PrivateKey) ks.getKey("k", "changeit".toCharArray()),
        (X509Certificate) ks.getCertificate("k"));
  }

  /** The certificate as PEM, as Google's x509 endpoint lists it. */
  String pem() throws Exception {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(certificate.getEncoded());
    return "-----BEGIN CERTIFICATE-----\n" + body + "\n-----END CERTIFICATE-----\n";
  }

  /** Valid claims for {@code uid}, issued a minute ago, expiring in an hour. */
  static JWTClaimsSet.Builder claims(String uid) {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .issuer(ISSUER)
        .audience(PROJECT)
        .subject(uid)
        .issueTime(Date.from(now.minusSeconds(60)))
        .expirationTime(Date.from(now.plus(Duration.ofHours(1))))
        .claim("auth_time", now.minusSeconds(120).getEpochSecond())
        .claim("user_id", uid);
  }

  String token(String uid) {
    return token(uid, b -> b);
  }

  String token(String uid, UnaryOperator<JWTClaimsSet.Builder> change) {
    return sign(kid, change.apply(claims(uid)).build());
  }

  String sign(String keyId, JWTClaimsSet claims) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.RS256)
                  .keyID(keyId)
                  .type(JOSEObjectType.JWT)
                  .build(),
              claims);
      jwt.sign(new RSASSASigner(privateKey));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** A token signed with HMAC, the key id naming this RSA key: the algorithm-confusion attack. */
  String hs256Token(String uid) {
    try {
      SignedJWT jwt =
          new SignedJWT(
              new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(kid).build(), claims(uid).build());
      jwt.sign(
          new MACSigner(
              certificate.getPublicKey().getEncoded().length >= 32
                  ? java.util.Arrays.copyOf(certificate.getPublicKey().getEncoded(), 64)
                  : new byte[64]));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static String unsignedToken(String uid) {
    return new PlainJWT(claims(uid).build()).serialize();
  }
}
