package com.zmanim.rehearsal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The harness's own authority issues a server certificate pgBackRest accepts for the host. */
class CertificatesTest {
  private static final String HOST = "10.213.99.1";

  @TempDir static Path dir;
  private static X509Certificate ca;
  private static X509Certificate server;

  @BeforeAll
  static void make() throws Exception {
    Certificates.make(dir, HOST);
    ca = read(dir.resolve("ca.pem"));
    server = read(dir.resolve("server.pem"));
  }

  private static X509Certificate read(Path pem) throws Exception {
    try (InputStream in = Files.newInputStream(pem)) {
      return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }

  @Test
  void theServerCertificateIsSignedByTheAuthority() throws Exception {
    server.verify(ca.getPublicKey());
    assertThat(server.getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());
    assertThat(ca.getBasicConstraints()).as("the authority is a CA").isGreaterThanOrEqualTo(0);
    assertThat(server.getBasicConstraints()).as("the server certificate is not").isEqualTo(-1);
  }

  @Test
  void theServerCertificateNamesTheHostAsDnsNameAndAsAddress() throws Exception {
    // pgBackRest matches the host against DNS names only; other clients against the IP entry.
    assertThat(server.getSubjectAlternativeNames())
        .containsExactlyInAnyOrder(List.of(2, HOST), List.of(7, HOST));
  }

  @Test
  void theKeyStoreLoadsIntoATlsServerContext() {
    assertThat(Certificates.serverContext(dir).getServerSocketFactory()).isNotNull();
  }
}
