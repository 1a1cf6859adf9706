package com.zmanim.rehearsal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/**
 * The local image: a provisioned root filesystem in the cache, built (or reused) by
 * rehearsal/image/build-rootfs.sh from the image's own provisioning list.
 *
 * @param rootfs the image's root filesystem (read-only lower layer of every instance)
 * @param key the cache key (hash of the inputs)
 * @param buildSeconds how long the build that made this image took (cold build)
 * @param thisRunSeconds how long this run spent getting it (a cached lookup when {@code cached})
 * @param cached whether this run reused a cached build
 * @param apiVersion the API version baked in
 */
public record Image(
    Path rootfs,
    String key,
    double buildSeconds,
    double thisRunSeconds,
    boolean cached,
    String apiVersion) {

  /** Builds or reuses the image for the current inputs. */
  public static Image buildOrReuse(Layout layout, Progress progress) {
    Path jar = layout.apiJar();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(
          jar + " does not exist: build the API first (make rehearse does)");
    }
    String version = apiVersion(jar);
    Path script = layout.repo().resolve("rehearsal/image/build-rootfs.sh");
    progress.say("image: building or reusing (API " + version + ")");
    long t0 = System.nanoTime();
    Cmd.Result r =
        Cmd.run(
            Duration.ofMinutes(30),
            List.of("bash", script.toString()),
            Map.of(
                "ZMANIM_API_JAR",
                jar.toString(),
                "ZMANIM_API_VERSION",
                version,
                "ZMANIM_REHEARSAL_CACHE",
                layout.cache().toString()),
            null);
    double seconds = (System.nanoTime() - t0) / 1e9;
    progress.detail(r.err());
    r.check();
    Path dir = Path.of(r.out().strip());
    try {
      JsonNode build = new ObjectMapper().readTree(dir.resolve("build.json").toFile());
      boolean cached = r.err().contains("reusing cached image");
      Image image =
          new Image(
              dir.resolve("rootfs"),
              build.get("key").asText(),
              build.get("build_seconds").asDouble(),
              seconds,
              cached,
              version);
      progress.say(
          String.format(
              "image: %s %s in %.1f s", image.key(), cached ? "reused" : "built", seconds));
      return image;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Implementation-Version from the jar's manifest (contract §4). */
  static String apiVersion(Path jar) {
    try (JarFile jf = new JarFile(jar.toFile())) {
      var mf = jf.getManifest();
      String v = mf == null ? null : mf.getMainAttributes().getValue("Implementation-Version");
      if (v == null || !v.matches("\\d+\\.\\d+\\.\\d+(-[A-Za-z0-9.]+)?")) {
        throw new IllegalStateException(
            jar + " has no valid Implementation-Version in its manifest: " + v);
      }
      return v;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + jar, e);
    }
  }
}
