package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority of the harness's own and a server certificate it issues (openssl, EC
 * P-256, valid 3 days), in a folder of the world's scratch tree: the key never leaves it. Instances
 * trust the authority as they trust Amazon's, so TLS to a stand-in is verified, not switched off.
 * Files: {@code ca.pem}, {@code ca.key}, {@code server.pem}, {@code server.key} and {@code
 * server.p12} (the server's key and chain for Java).
 */
final class Certificates {
  private static final String STORE_PASSWORD = "rehearsal";

  private Certificates() {}

  /**
   * Makes the authority and a certificate for {@code host} (a DNS and an IP name) in {@code dir}.
   */
  static void make(Path dir, String host) {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Duration t = Duration.ofSeconds(30);
    String d = dir.toString();
    openssl(
        t,
        List.of("req", "-x509"),
        newKey(d + "/ca.key"),
        List.of("-out", d + "/ca.pem", "-days", "3", "-subj", "/CN=zmanim rehearsal CA"),
        List.of("-addext", "basicConstraints=critical,CA:TRUE"),
        List.of("-addext", "keyUsage=critical,keyCertSign,cRLSign"));
    openssl(
        t,
        List.of("req"),
        newKey(d + "/server.key"),
        List.of("-out", d + "/server.csr", "-subj", "/CN=" + host));
    try {
      // pgBackRest matches the host against the certificate's DNS names (not IP entries): both.
      Files.writeString(
          dir.resolve("server.ext"),
          "subjectAltName=DNS:"
              + host
              + ",IP:"
              + host
              + "\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    openssl(
        t,
        List.of(
            "x509",
            "-req",
            "-in",
            d + "/server.csr",
            "-CA",
            d + "/ca.pem",
            "-CAkey",
            d + "/ca.key",
            "-CAcreateserial",
            "-out",
            d + "/server.pem",
            "-days",
            "3",
            "-extfile",
            d + "/server.ext"));
    openssl(
        t,
        List.of(
            "pkcs12",
            "-export",
            "-in",
            d + "/server.pem",
            "-inkey",
            d + "/server.key",
            "-certfile",
            d + "/ca.pem",
            "-out",
            d + "/server.p12",
            "-passout",
            "pass:" + STORE_PASSWORD));
  }

  /** openssl's arguments for a new unencrypted P-256 key written to {@code keyFile}. */
  private static List<String> newKey(String keyFile) {
    return List.of(
        "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", keyFile);
  }

  @SafeVarargs
  private static void openssl(Duration timeout, List<String>... parts) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    for (List<String> p : parts) {
      argv.addAll(p);
    }
    Cmd.run(timeout, argv).check();
  }

  /** A TLS server context presenting {@code dir}'s server certificate (made by {@link #make}). */
  static SSLContext serverContext(Path dir) {
    try {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
        ks.load(in, STORE_PASSWORD.toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, STORE_PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(kmf.getKeyManagers(), null, null);
      return tls;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot load the rehearsal's TLS certificate in " + dir, e);
    }
  }
}
