package com.zmanim.rehearsal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * The API instances of a {@link HaFleet} trust the stand-in's authority as they trust Amazon's: the
 * image's system bundle (what update-ca-certificates writes) and the JVM's cacerts (what its hook
 * adds), each with the stand-in's CA added, built once in the world's scratch folder.
 */
final class HaTrust {
  private final String systemBundle;
  private final Path javaTrust;

  HaTrust(Image image, Path scratch, String caPem) {
    try {
      Path trust = scratch.resolve("ha-trust");
      Files.createDirectories(trust);
      Files.writeString(trust.resolve("standin-ca.pem"), caPem);
      javaTrust = trust.resolve("cacerts");
      Files.copy(
          image.rootfs().resolve("etc/ssl/certs/java/cacerts"),
          javaTrust,
          StandardCopyOption.REPLACE_EXISTING);
      Cmd.ok(
          Duration.ofSeconds(60),
          Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
          "-importcert",
          "-noprompt",
          "-alias",
          "zmanim-rehearsal-standin-ca",
          "-file",
          trust.resolve("standin-ca.pem").toString(),
          "-keystore",
          javaTrust.toString(),
          "-storepass",
          "changeit");
      String base = Files.readString(image.rootfs().resolve("etc/ssl/certs/ca-certificates.crt"));
      systemBundle = base + (base.endsWith("\n") ? "" : "\n") + caPem;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Puts both bundles into a created (not yet booted) instance's root. */
  void installIn(Instance i) {
    try {
      i.writeFile("etc/ssl/certs/ca-certificates.crt", systemBundle, "644");
      i.writeFile("etc/ssl/certs/java/cacerts", "", "644");
      Files.copy(
          javaTrust,
          i.root().resolve("etc/ssl/certs/java/cacerts"),
          StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
