package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the backup scenarios share: a repository to back up to, the backup units run as their timers
 * would, and what moto recorded (the repository's objects in S3, the custom metrics, the SES
 * e-mails). The data they back up: {@link SampleData}.
 */
final class Backups {
  static final Duration UNIT = Duration.ofMinutes(20);
  static final String REPO_PREFIX = "restic/";

  private Backups() {}

  /**
   * Static keys for restic in endpoints.env (contract §2 allows them for the stand-in): on AWS
   * restic takes the instance profile's credentials from IMDS at 169.254.169.254, but it does not
   * honour AWS_EC2_METADATA_SERVICE_ENDPOINT, so it cannot reach the rehearsal's metadata mock.
   * moto does not check them (its IAM checks are off). Call before the first launch.
   */
  static void resticCredentials(World w) {
    // pgBackRest takes the same keys (boot writes them into its configuration,
    // repo1-s3-key-type=shared).
    w.endpointsExtra().put("AWS_ACCESS_KEY_ID", "rehearsal");
    w.endpointsExtra().put("AWS_SECRET_ACCESS_KEY", "rehearsal");
    // Rehearsal-only: every backup run holds the restic dump the backup scenarios restore and
    // break (the image's default is Sundays only, ZMANIM_LOGICAL_DUMP_WEEKDAY=7).
    w.endpointsExtra().put("ZMANIM_LOGICAL_DUMP_WEEKDAY", "daily");
  }

  /**
   * What every backup scenario starts from: a healthy instance whose restic and pgBackRest reach
   * their repositories, both created by the operator's command the README's deploy steps name
   * (`zmanim-backup init`: the restic repository, the pgBackRest stanza, WAL archiving checked; the
   * backup never creates one by itself).
   */
  static Instance launchWithRepository(World w) {
    resticCredentials(w);
    Instance i = Steps.launchHealthy(w).instance();
    initRepository(i);
    return i;
  }

  /**
   * The operator's one-time {@code zmanim-backup init} after the first deploy (README, "Deploy").
   */
  static void initRepository(Instance i) {
    Cmd.Result r = i.exec(UNIT, "zmanim-backup", "init");
    assertThat(r.exit()).as("zmanim-backup init: %s", r.err()).isZero();
  }

  /**
   * Starts a unit as its timer would and waits for it; returns the result (exit != 0 when it
   * failed).
   */
  static Cmd.Result startUnit(Instance i, String unit) {
    return i.exec(UNIT, "systemctl", "start", unit);
  }

  /** restic inside the instance with the repository settings the boot logic wrote. */
  static Cmd.Result restic(Instance i, String args) {
    return i.exec(
        Duration.ofMinutes(10),
        "bash",
        "-c",
        "set -a; . /etc/zmanim/instance.env; "
            + "[ ! -r /etc/zmanim/endpoints.env ] || . /etc/zmanim/endpoints.env; . /etc/restic/env; set +a; "
            + "restic "
            + args);
  }

  /** The snapshots in the repository (restic snapshots --json). */
  static JsonNode snapshots(Instance i) {
    try {
      return new com.fasterxml.jackson.databind.ObjectMapper()
          .readTree(restic(i, "snapshots --json").check().out());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** The repository's objects in moto's S3 (key → size). */
  static Map<String, Long> repositoryObjects(World w) {
    return objects(w, REPO_PREFIX);
  }

  /** The objects under a prefix of the backups bucket (key → size), every page. */
  static Map<String, Long> objects(World w, String prefix) {
    Map<String, Long> objects = new LinkedHashMap<>();
    w.account()
        .s3()
        .listObjectsV2Paginator(r -> r.bucket(w.deployment().backupBucket()).prefix(prefix))
        .contents()
        .forEach(o -> objects.put(o.key(), o.size()));
    return objects;
  }

  /** Bytes stored under a prefix of the backups bucket (e.g. pgBackRest's WAL archive). */
  static long prefixBytes(World w, String prefix) {
    return objects(w, prefix).values().stream().mapToLong(Long::longValue).sum();
  }

  static long repositoryBytes(World w) {
    return repositoryObjects(w).values().stream().mapToLong(Long::longValue).sum();
  }

  static long snapshotObjects(World w) {
    return repositoryObjects(w).keySet().stream()
        .filter(k -> k.startsWith(REPO_PREFIX + "snapshots/"))
        .count();
  }

  /** Values moto recorded for a custom metric of the app's namespace (contract §7). */
  static List<Double> metric(World w, String name) {
    String ns = w.deployment().metricsNamespace();
    List<Double> values = new ArrayList<>();
    w.moto()
        .data()
        .path("cloudwatch")
        .path("MetricDatum")
        .forEach(
            d -> {
              if (d.path("namespace").asText().equals(ns) && d.path("name").asText().equals(name)) {
                values.add(d.path("value").asDouble());
              }
            });
    return values;
  }

  /** Subjects of the e-mails moto's SES recorded as sent. */
  static List<String> mailSubjects(World w) {
    List<String> subjects = new ArrayList<>();
    w.moto()
        .data()
        .path("ses")
        .path("Message")
        .forEach(m -> subjects.add(m.path("subject").asText()));
    return subjects;
  }

  /** Waits until SES recorded {@code n} e-mails (the notify unit runs after the failed one). */
  static List<String> awaitMails(World w, int n, Duration timeout) {
    java.time.Instant deadline = java.time.Instant.now().plus(timeout);
    List<String> subjects = mailSubjects(w);
    while (subjects.size() < n && java.time.Instant.now().isBefore(deadline)) {
      com.zmanim.rehearsal.Servers.sleep(300);
      subjects = mailSubjects(w);
    }
    return subjects;
  }

  /** A real API query (with the origin header CloudFront sends), from the host. */
  static HttpResponse<String> apiQuery(World w, Instance i, String pathAndQuery)
      throws IOException, InterruptedException {
    return HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .build()
        .send(
            HttpRequest.newBuilder(URI.create(i.apiUrl() + pathAndQuery))
                .timeout(Duration.ofSeconds(10))
                .header("X-Origin-Verify", w.secrets().get("origin-verify-secret"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  /**
   * What a unit and the script it runs (its own syslog identifier, contract §8) logged this boot.
   */
  static String scriptLog(Instance i, String unit, String identifier) {
    return Steps.unitLog(i, unit)
        + i.exec("journalctl", "-b", "-t", identifier, "--no-pager", "-o", "cat").out();
  }

  static void assertUnitSucceeded(Instance i, String unit, Cmd.Result r) {
    String identifier =
        switch (unit) {
          case "restic-backup.service" -> "zmanim-backup";
          case "restic-check.service" -> "zmanim-restic-check";
          case "restore-drill.service" -> "zmanim-restore-drill";
          default -> "zmanim-restore";
        };
    assertThat(r.exit())
        .as("systemctl start %s: %s", unit, scriptLog(i, unit, identifier))
        .isZero();
    assertThat(i.exec("systemctl", "show", "-P", "Result", unit).out().strip())
        .as("%s result", unit)
        .isEqualTo("success");
  }

  static String mib(long bytes) {
    return String.format("%.1f MiB", bytes / 1048576.0);
  }
}
