package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The backup made to fail four ways on one instance: the repository missing (never initialised, or
 * deleted: the backup fails and never creates one), the bucket unreachable (S3 endpoint closed),
 * the wrong repository password, pg_dump dying half-way. Each time restic-backup.service fails, no
 * snapshot is recorded, the failure e-mail goes out through SES (moto's records) and no
 * BackupSuccess is published (moto's CloudWatch). Finally, with the faults removed, the same unit
 * succeeds: the checks above can see a success when there is one. Rehearsal-only setting
 * (endpoints.env): ZMANIM_RESTIC_OPEN_TIMEOUT_S=10 (restic retries an unreachable endpoint for 15
 * minutes; the backup bounds its first repository access, 300 s by default).
 */
final class BackupFailure implements Scenario {
  private static final String UNIT = "restic-backup.service";
  private static final String SUBJECT = "FAILED: " + UNIT;

  @Override
  public String name() {
    return "backup-failure";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    w.endpointsExtra().put("ZMANIM_RESTIC_OPEN_TIMEOUT_S", "10");
    Backups.resticCredentials(w);
    Instance i = Steps.launchHealthy(w).instance();
    SampleData.generate(i, 0.01);

    // 0. No repository (nobody ran zmanim-backup init, or it was deleted): a failure, and the
    // backup does not create one.
    assertFailed(w, i, 1, "does not exist: nothing was backed up");
    assertThat(Backups.repositoryObjects(w))
        .as("no repository created by the failed backup")
        .isEmpty();
    Backups.initRepository(i);
    assertThat(Backups.repositoryObjects(w))
        .as("zmanim-backup init created the repository")
        .isNotEmpty();
    Path resticEnv = i.root().resolve("etc/restic/env");
    String goodEnv = Files.readString(resticEnv);

    // 1. Bucket unreachable: the repository URL points at a closed port.
    Files.writeString(
        resticEnv,
        goodEnv.replaceAll(
            "(?m)^RESTIC_REPOSITORY=s3:http://[^/]+/",
            "RESTIC_REPOSITORY=s3:http://" + w.hostAddress() + ":5009/"));
    assertFailed(w, i, 2, "did not answer within 10s");

    // 2. pg_dump dies half-way (a wrapper first in PATH passes 1 MB of a real dump, then fails).
    Files.writeString(resticEnv, goodEnv);
    Path shim = i.root().resolve("usr/local/bin/pg_dump");
    Files.writeString(
        shim,
        """
                #!/bin/sh
                # rehearsal (backup-failure): a pg_dump that dies half-way
                /usr/bin/pg_dump "$@" | head -c 1000000
                exit 1
                """);
    i.exec("chmod", "0755", "/usr/local/bin/pg_dump").check();
    assertFailed(w, i, 3, "backup of zmanim-postgres.dump failed (no snapshot was recorded)");
    Files.delete(shim);

    // 3. Wrong repository password (restic's password file, 0600 root).
    Path passwordFile = i.root().resolve("etc/restic/password");
    String goodPassword = Files.readString(passwordFile);
    Files.writeString(passwordFile, "WrongPassword0123456789\n");
    assertFailed(w, i, 4, "cannot open the restic repository");

    Files.writeString(passwordFile, goodPassword);
    assertThat(Backups.snapshots(i)).as("no snapshot recorded by any failed run").isEmpty();
    assertThat(Backups.metric(w, "BackupSuccess")).as("BackupSuccess never published").isEmpty();
    assertThat(Backups.metric(w, "BackupSizeBytes")).isEmpty();

    // 4. Faults removed: the same unit succeeds and publishes.
    Backups.assertUnitSucceeded(i, UNIT, Backups.startUnit(i, UNIT));
    assertThat(Backups.metric(w, "BackupSuccess")).containsExactly(1.0);
    assertThat(Backups.snapshots(i)).hasSize(3);
    assertThat(Backups.mailSubjects(w)).as("no e-mail for a success").hasSize(4);
    return "missing repository (not created), unreachable bucket, failing pg_dump, wrong password: unit failed, "
        + "no snapshot, 4 SES e-mails, "
        + "no BackupSuccess; fixed: success published";
  }

  private static void assertFailed(World w, Instance i, int mails, String reason) {
    Cmd.Result r = Backups.startUnit(i, UNIT);
    assertThat(r.exit()).as("systemctl start %s must fail (%s)", UNIT, reason).isNotZero();
    assertThat(Steps.unitState(i, UNIT)).isEqualTo("failed");
    assertThat(Backups.scriptLog(i, UNIT, "zmanim-backup")).contains(reason);
    List<String> subjects = Backups.awaitMails(w, mails, Duration.ofSeconds(60));
    assertThat(subjects)
        .as("SES e-mails after failure %d", mails)
        .hasSize(mails)
        .allMatch(s -> s.contains(SUBJECT));
    assertThat(Backups.metric(w, "BackupSuccess")).as("no BackupSuccess after a failure").isEmpty();
  }
}
