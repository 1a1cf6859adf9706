package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.DeleteMarkerEntry;
import software.amazon.awssdk.services.s3.model.ObjectVersion;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * An attacker with code execution as the API's user. Inside the instance, as user zmanim (plainly,
 * and inside the running API's own mount namespace): the metadata service does not answer (root's
 * does), and no file holding a secret can be read. Then the attacker is granted the instance role's
 * own credentials anyway (its inline policy from the synthesized template, enforced by moto's IAM
 * checks) and deletes every backup object it can: every object gets a delete marker, while deleting
 * a version and suspending versioning are denied. The next backup fails loudly ("does not exist",
 * e-mail, no BackupSuccess) and creates no new repository. The operator removes the delete markers
 * (the undelete of a versioned bucket) and the restore brings every table back.
 */
final class CompromisedApi implements Scenario {
  private static final String ZMANIM = "runuser -u zmanim -- ";

  @Override
  public String name() {
    return "compromised-api";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    SampleData.generate(i, 0.005);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    Map<String, String> backedUp = SampleData.tableDigests(i);

    // 1. The metadata service: root's request answers, zmanim's does not (plain and in the API's
    // namespace).
    String imds =
        "http://" + w.hostAddress() + ":1338"; // ZMANIM_IMDS_ENDPOINT of the world's endpoints.env
    String token =
        "curl -fsS --max-time 5 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "
            + imds
            + "/latest/api/token";
    assertThat(i.sh(token).exit()).as("root reaches the metadata service (the control)").isZero();
    assertThat(i.sh(ZMANIM + token).exit())
        .as("user zmanim reaches the metadata service")
        .isNotZero();
    String apiPid =
        i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip();
    assertThat(apiPid).isNotIn("", "0");
    String inApi =
        "nsenter -t " + apiPid + " -m --setuid=$(id -u zmanim) --setgid=$(id -g zmanim) -- ";
    assertThat(i.sh(inApi + token).exit())
        .as("zmanim in the API's namespace reaches the metadata service")
        .isNotZero();

    // 2. No file holding a secret is readable by zmanim (the JVM's own environment aside).
    String patterns = String.join("\n", w.secrets().values()) + "\n";
    // On the root filesystem (the instance's /run is a tmpfs the harness cannot write from
    // outside).
    Files.writeString(i.root().resolve("var/tmp/rehearsal-patterns"), patterns);
    i.exec("chmod", "0644", "/var/tmp/rehearsal-patterns").check();
    String readable =
        i.sh(
                ZMANIM
                    + "grep -rlsFf /var/tmp/rehearsal-patterns --exclude-dir=proc --exclude-dir=sys"
                    + " --exclude-dir=dev / 2>/dev/null | grep -v '^/var/tmp/rehearsal-patterns$' || true")
            .out()
            .strip();
    i.exec("rm", "-f", "/var/tmp/rehearsal-patterns").check();
    assertThat(readable).as("files with a secret that zmanim can read").isEmpty();
    for (String f :
        List.of(
            "/opt/zmanim/config.env",
            "/etc/restic/env",
            "/etc/restic/password",
            "/etc/redis/zmanim-secrets.conf",
            "/data/postgres/PG_VERSION")) {
      assertThat(i.sh(ZMANIM + "cat " + f).exit()).as("zmanim reads %s", f).isNotZero();
      assertThat(i.sh(inApi + "cat " + f).exit())
          .as("zmanim reads %s in the API's namespace", f)
          .isNotZero();
    }

    // 3. With the role's own credentials: delete what it can; history stays.
    Layout layout = Layout.fromEnvironment();
    String bucket = w.deployment().backupBucket();
    JsonNode policy = BackupHistorySafe.instancePolicy(w, layout.computeTemplate());
    S3Client asRole =
        w.account().s3(BackupHistorySafe.userWithPolicy(w, "attacker-with-role", policy));
    S3Client s3 = w.account().s3();
    List<String> keys = new ArrayList<>(Backups.repositoryObjects(w).keySet());
    assertThat(keys).as("the repository's objects").contains(Backups.REPO_PREFIX + "config");
    String configVersion = versionOf(s3, bucket, Backups.REPO_PREFIX + "config");
    List<String> denied = new ArrayList<>();
    BackupHistorySafe.resetAuth(w, "0");
    try {
      List<S3Object> listed =
          asRole.listObjectsV2Paginator(r -> r.bucket(bucket)).contents().stream().toList();
      // One delete per object (moto answers a multi-object delete under IAM checks with per-key
      // errors).
      for (S3Object o : listed) {
        assertThatCode(() -> asRole.deleteObject(r -> r.bucket(bucket).key(o.key())))
            .as("the role deletes %s", o.key())
            .doesNotThrowAnyException();
      }
      BackupHistorySafe.assertDenied(
          "delete-object --version-id",
          () ->
              asRole.deleteObject(
                  r ->
                      r.bucket(bucket)
                          .key(Backups.REPO_PREFIX + "config")
                          .versionId(configVersion)));
      denied.add("delete-object");
      BackupHistorySafe.assertDenied(
          "put-bucket-versioning",
          () ->
              asRole.putBucketVersioning(
                  r ->
                      r.bucket(bucket)
                          .versioningConfiguration(
                              v -> v.status(BucketVersioningStatus.SUSPENDED))));
      denied.add("put-bucket-versioning");
    } finally {
      BackupHistorySafe.resetAuth(w, "inf");
    }
    assertThat(Backups.repositoryObjects(w)).as("no current object left").isEmpty();

    // 4. The next backup fails loudly and creates nothing.
    Cmd.Result failed = Backups.startUnit(i, "restic-backup.service");
    assertThat(failed.exit()).as("the backup after the deletion").isNotZero();
    assertThat(Backups.scriptLog(i, "restic-backup.service", "zmanim-backup"))
        .contains("does not exist: nothing was backed up");
    assertThat(Backups.awaitMails(w, 1, Duration.ofSeconds(60)))
        .as("failure e-mail")
        .anyMatch(s -> s.contains("FAILED: restic-backup.service"));
    assertThat(Backups.repositoryObjects(w)).as("no new repository created").isEmpty();
    assertThat(Backups.metric(w, "BackupSuccess"))
        .as("only the first backup's success")
        .containsExactly(1.0);

    // 5. The operator's undelete: remove the delete markers the attacker placed (on the objects
    // that
    // were current before it; not restic's own earlier ones on its lock files, which would bring
    // stale locks back), then the restore.
    int markers = 0;
    for (DeleteMarkerEntry m :
        s3.listObjectVersionsPaginator(r -> r.bucket(bucket)).deleteMarkers()) {
      if (m.isLatest() && keys.contains(m.key())) {
        s3.deleteObject(r -> r.bucket(bucket).key(m.key()).versionId(m.versionId()));
        markers++;
      }
    }
    assertThat(Backups.repositoryObjects(w).keySet())
        .as("objects back after the undelete")
        .containsAll(keys);
    i.sql().script("zmanim", "DELETE FROM bench_users;");
    Cmd.Result restore = i.exec(Backups.UNIT, "zmanim-restore", "--force");
    assertThat(restore.exit()).as("zmanim-restore --force: %s", restore.err()).isZero();
    i.awaitHealthy(Duration.ofMinutes(2));
    assertThat(SampleData.tableDigests(i)).as("every table restored").isEqualTo(backedUp);
    return "IMDS refused to zmanim; no secret file readable; role deleted "
        + keys.size()
        + " objects, denied "
        + denied
        + "; backup failed loudly, nothing created; "
        + markers
        + " markers removed, restore verified";
  }

  private static String versionOf(S3Client s3, String bucket, String key) {
    return s3.listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key)).versions().stream()
        .filter(v -> v.key().equals(key))
        .map(ObjectVersion::versionId)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no version of " + key));
  }
}
