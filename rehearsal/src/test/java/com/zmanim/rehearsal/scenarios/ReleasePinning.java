package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A new API version published to the emulated releases bucket (with the operator's own
 * scripts/ops/publish-release.sh) and pinned in SSM with its digest: after a restart /health
 * reports it. A release published properly whose jar a writer of the bucket then replaced (with a
 * matching .sha256 beside it) is refused against SSM's digest, and so is a pin without a digest;
 * the old version keeps serving. A fresh instance whose releases bucket is unreachable starts the
 * baked version.
 */
final class ReleasePinning implements Scenario {
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");

  @Override
  public String name() {
    return "release-pinning";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Steps.launchHealthy(w).instance();
    String baked = i.exec("cat", "/opt/zmanim/BAKED_VERSION").check().out().strip();
    assertThat(version(i)).as("first boot runs the baked version").isEqualTo(baked);

    // 1. Publish a new version and pin it; restart the API.
    Layout layout = Layout.fromEnvironment();
    Path newer = withVersion(layout.apiJar(), w.out().resolve("zmanim-api-new.jar"), baked + "-r1");
    Cmd.Result pub =
        Cmd.run(
            Duration.ofMinutes(2),
            List.of(
                "bash",
                layout.repo().resolve("scripts/ops/publish-release.sh").toString(),
                "--bucket",
                w.deployment().releasesBucket(),
                "--jar",
                newer.toString(),
                "--prefix",
                w.deployment().ssmPrefix(),
                "--region",
                World.REGION,
                "--no-restart"),
            operatorEnv(w, layout),
            null);
    assertThat(pub.ok()).as("publish-release.sh: %s", pub.err()).isTrue();
    assertThat(w.account().parameter(w.deployment().ssmName("api-release")))
        .as("api-release carries the digest")
        .isEqualTo(baked + "-r1@sha256:" + sha256(newer));
    restartApi(i);
    assertThat(version(i)).as("after publish + restart").isEqualTo(baked + "-r1");
    // Its AOT cache, trained as zmanim and installed by root.
    assertThat(
            i.exec("stat", "-c", "%a %U", "/opt/zmanim/releases/" + baked + "-r1/zmanim-api.aot")
                .check()
                .out()
                .strip())
        .as("the fetched release's AOT cache")
        .isEqualTo("644 root");

    // 2. r2 published and pinned, then its jar replaced in the bucket by a writer of the bucket,
    // with
    // a .sha256 that matches the replacement: refused against SSM's digest; r1 keeps serving.
    Path good = withVersion(layout.apiJar(), w.out().resolve("zmanim-api-r2.jar"), baked + "-r2");
    Cmd.Result pub2 =
        Cmd.run(
            Duration.ofMinutes(2),
            List.of(
                "bash",
                layout.repo().resolve("scripts/ops/publish-release.sh").toString(),
                "--bucket",
                w.deployment().releasesBucket(),
                "--jar",
                good.toString(),
                "--prefix",
                w.deployment().ssmPrefix(),
                "--region",
                World.REGION,
                "--no-restart"),
            operatorEnv(w, layout),
            null);
    assertThat(pub2.ok()).as("publish-release.sh r2: %s", pub2.err()).isTrue();
    Path bad =
        withVersion(layout.apiJar(), w.out().resolve("zmanim-api-bad.jar"), baked + "-r2-evil");
    String key = "releases/" + baked + "-r2/";
    S3Client s3 = w.account().s3();
    s3.putObject(
        r -> r.bucket(w.deployment().releasesBucket()).key(key + "zmanim-api.jar"),
        RequestBody.fromFile(bad));
    Path badSum = w.out().resolve("bad.sha256");
    Files.writeString(badSum, sha256(bad) + "  zmanim-api.jar\n");
    s3.putObject(
        r -> r.bucket(w.deployment().releasesBucket()).key(key + "zmanim-api.jar.sha256"),
        RequestBody.fromFile(badSum));
    restartApi(i);
    assertThat(version(i)).as("a replaced release is refused").isEqualTo(baked + "-r1");
    assertThat(
            i.exec("journalctl", "-b", "-t", "zmanim-release-fetch", "--no-pager", "-o", "cat")
                .out())
        .contains("checksum mismatch (SSM names " + sha256(good));
    assertThat(i.exec("test", "-e", "/opt/zmanim/releases/" + baked + "-r2").ok())
        .as("nothing installed")
        .isFalse();

    // A pin without a digest: refused, whatever the bucket holds.
    w.account().putString(w.deployment().ssmName("api-release"), baked + "-r2");
    restartApi(i);
    assertThat(version(i)).as("a pin without a digest is refused").isEqualTo(baked + "-r1");
    assertThat(
            i.exec("journalctl", "-b", "-t", "zmanim-release-fetch", "--no-pager", "-o", "cat")
                .out())
        .contains("without @sha256:<digest>: refused");

    // 3. A fresh instance with the releases bucket unreachable (S3 endpoint closed) runs the baked
    // version.
    w.account()
        .putString(w.deployment().ssmName("api-release"), baked + "-r1@sha256:" + sha256(newer));
    w.terminate(i);
    w.endpointsExtra().put("AWS_ENDPOINT_URL_S3", "http://" + w.hostAddress() + ":5009");
    Instance fresh = w.launch();
    fresh.awaitHealthy(Steps.FIRST_BOOT);
    assertThat(version(fresh)).as("bucket unreachable: the baked version").isEqualTo(baked);
    assertThat(
            fresh
                .exec("journalctl", "-b", "-t", "zmanim-release-fetch", "--no-pager", "-o", "cat")
                .out())
        .contains("cannot fetch");
    return "published "
        + baked
        + "-r1 served; jar replaced in the bucket refused against SSM's digest; pin "
        + "without digest refused; bucket unreachable -> baked "
        + baked;
  }

  static Map<String, String> operatorEnv(World w, Layout layout) {
    return Map.of(
        "AWS_ENDPOINT_URL",
        w.account().endpoint(),
        "AWS_ACCESS_KEY_ID",
        "rehearsal",
        "AWS_SECRET_ACCESS_KEY",
        "rehearsal",
        "AWS_CONFIG_FILE",
        "/dev/null",
        "PATH",
        layout.tools().resolve("bin") + ":" + System.getenv("PATH"));
  }

  static void restartApi(Instance i) {
    i.exec(Duration.ofMinutes(2), "systemctl", "restart", "zmanim-api.service").check();
    i.awaitHealthy(Duration.ofMinutes(2));
  }

  static String version(Instance i) throws IOException, InterruptedException {
    String body = i.http("/health").body();
    Matcher m = VERSION.matcher(body);
    assertThat(m.find()).as("/health reports a version: %s", body).isTrue();
    return m.group(1);
  }

  static String sha256(Path f) throws IOException {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A copy of the jar whose manifest says {@code version} (a different artifact: other bytes). */
  static Path withVersion(Path jar, Path out, String version) throws IOException {
    try (InputStream in = Files.newInputStream(jar);
        JarInputStream jin = new JarInputStream(in)) {
      Manifest mf = new Manifest(jin.getManifest());
      mf.getMainAttributes().put(new Attributes.Name("Implementation-Version"), version);
      try (OutputStream os = Files.newOutputStream(out);
          JarOutputStream jout = new JarOutputStream(os, mf)) {
        JarEntry e;
        while ((e = jin.getNextJarEntry()) != null) {
          jout.putNextEntry(new JarEntry(e.getName()));
          jin.transferTo(jout);
          jout.closeEntry();
        }
      }
    }
    return out;
  }
}
