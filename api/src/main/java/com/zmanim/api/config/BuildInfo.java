package com.zmanim.api.config;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.jar.Manifest;

/** The version and git revision of the running artifact, read from its jar manifest. */
public record BuildInfo(String version, String gitRevision) {

  /** Reads the manifest of the jar holding this class; "dev"/"unknown" when run from classes. */
  public static BuildInfo fromManifest() {
    URL location = BuildInfo.class.getProtectionDomain().getCodeSource().getLocation();
    if (location != null && location.getPath().endsWith(".jar")) {
      try (InputStream in =
          java.net.URI.create("jar:" + location + "!/META-INF/MANIFEST.MF").toURL().openStream()) {
        var attributes = new Manifest(in).getMainAttributes();
        String version = attributes.getValue("Implementation-Version");
        String revision = attributes.getValue("Git-Revision");
        if (version != null) {
          return new BuildInfo(version, revision == null ? "unknown" : revision);
        }
      } catch (IOException e) {
        // fall through: a jar without a readable manifest is a development build
      }
    }
    return new BuildInfo(System.getProperty("zmanim.version", "dev"), "unknown");
  }
}
