package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Disaster recovery end to end: a generated database of about 1 GiB (four tables, PostGIS rows) and
 * Redis keys are backed up by restic-backup.service started as its timer would; the snapshots are
 * in the emulated bucket and the image's weekly check (restic-check.service) is clean. After about
 * 1 % of the rows changed, a second backup adds little (restic deduplicates the uncompressed dump).
 * Then the instance and its volume are destroyed, a fresh instance boots on a blank volume and the
 * runbook's restore command (docs/runbooks/restore.md) brings back every table (row count and
 * content digest equal to the source's) and every Redis key; the API serves. RTO: launch on the
 * blank volume to restored and /health 200.
 */
final class BackupRestore implements Scenario {
  /*
   * The runbook's on-instance commands (docs/runbooks/restore.md), run here verbatim through bash as
   * root on the instance; the scenario fails when the runbook no longer holds one of them.
   */
  static final String BACKUP = "systemctl start restic-backup.service";
  static final String CHECK = "systemctl start restic-check.service";
  static final String LIST =
      "( set -a; . /etc/zmanim/instance.env; [ ! -r /etc/zmanim/endpoints.env ] || "
          + ". /etc/zmanim/endpoints.env; . /etc/restic/env; set +a; restic snapshots --host zmanim-prod --tag postgres )";
  static final String RESTORE = "zmanim-restore --snapshot ID --force";
  static final String RESTORE_LOG = "journalctl -b -t zmanim-restore --no-pager -o cat";
  static final String HEALTH = "zmanim-health";
  static final java.util.List<String> RUNBOOK =
      java.util.List.of(BACKUP, CHECK, LIST, RESTORE, RESTORE_LOG, HEALTH);
  private static final java.util.regex.Pattern SNAPSHOT_ID =
      java.util.regex.Pattern.compile("(?m)^([0-9a-f]{8})\\s");

  @Override
  public String name() {
    return "backup-restore";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    String runbook =
        java.nio.file.Files.readString(
            com.zmanim.rehearsal.Layout.fromEnvironment()
                .repo()
                .resolve("docs/runbooks/restore.md"));
    assertThat(runbook)
        .as("docs/runbooks/restore.md holds the commands this scenario runs")
        .contains(RUNBOOK);
    Instance src = Backups.launchWithRepository(w);

    long t0 = System.nanoTime();
    long dbBytes = SampleData.generate(src, 1.0);
    SampleData.fillRedis(w, src, 20_000);
    w.progress()
        .say(
            String.format(
                "  dataset: database %s generated in %.1f s, 20001 Redis keys",
                Backups.mib(dbBytes), (System.nanoTime() - t0) / 1e9));
    assertThat(dbBytes).as("database size").isBetween(900L << 20, 1400L << 20);

    // 1. The daily backup, as the timer starts it.
    t0 = System.nanoTime();
    Cmd.Result backup = sh(src, BACKUP);
    double backupS = (System.nanoTime() - t0) / 1e9;
    Backups.assertUnitSucceeded(src, "restic-backup.service", backup);
    long fullBytes = Backups.repositoryBytes(w);
    assertThat(Backups.snapshotObjects(w))
        .as("snapshots (dump, row counts, RDB) in the bucket")
        .isEqualTo(3);
    assertThat(Backups.metric(w, "BackupSuccess")).containsExactly(1.0);
    assertThat(Backups.metric(w, "BackupSizeBytes"))
        .singleElement()
        .satisfies(v -> assertThat(v).isPositive());
    assertThat(Backups.metric(w, "BackupDurationSeconds")).hasSize(1);
    w.progress().say(String.format("  backup: %.1f s, %s stored", backupS, Backups.mib(fullBytes)));
    // The same run's pgBackRest full base backup (it runs first), as the backup published it.
    assertThat(Backups.metric(w, "BaseBackupSuccess")).containsExactly(1.0);
    double baseS = Backups.metric(w, "BaseBackupDurationSeconds").getFirst();
    double baseBytes = Backups.metric(w, "BaseBackupSizeBytes").getFirst();
    results.metric("base_backup_full_s", baseS);
    results.metric("base_backup_full_stored_bytes", (long) baseBytes);

    Cmd.Result check = sh(src, CHECK);
    Backups.assertUnitSucceeded(src, "restic-check.service", check);
    assertThat(Backups.scriptLog(src, "restic-check.service", "zmanim-restic-check"))
        .contains("restic check passed");

    // 2. About 1 % of the rows change; the next backup adds little.
    SampleData.changeOnePercent(src);
    t0 = System.nanoTime();
    Cmd.Result second = sh(src, BACKUP);
    double incrementalS = (System.nanoTime() - t0) / 1e9;
    Backups.assertUnitSucceeded(src, "restic-backup.service", second);
    long addedBytes = Backups.repositoryBytes(w) - fullBytes;
    double ratio = (double) addedBytes / fullBytes;
    assertThat(Backups.snapshotObjects(w)).isEqualTo(6);
    assertThat(ratio)
        .as("added by the backup after a 1 %% change, relative to the full backup")
        .isLessThan(0.25);
    Map<String, String> tables = SampleData.tableDigests(src);
    String redis = SampleData.redisDigest(w, src);
    assertThat(tables)
        .containsKeys("public.bench_events", "public.bench_places", "public.localities");

    // 3. The instance and its volume are lost.
    w.terminate(src);

    // 4. A fresh instance on a blank volume, then the runbook's restore command.
    Instance fresh = Steps.launchOnBlankVolume(w);
    Instant launched = fresh.launchedAt();
    String listed = sh(fresh, LIST).check().out();
    java.util.regex.Matcher m = SNAPSHOT_ID.matcher(listed);
    String latest = null;
    while (m.find()) {
      latest = m.group(1);
    }
    assertThat(latest).as("the latest PostgreSQL snapshot in:%n%s", listed).isNotNull();
    t0 = System.nanoTime();
    Cmd.Result restore = sh(fresh, RESTORE.replace("ID", latest));
    double restoreS = (System.nanoTime() - t0) / 1e9;
    assertThat(restore.exit()).as("zmanim-restore: %s", restore.err()).isZero();
    Instant healthy = fresh.awaitHealthy(Duration.ofMinutes(2));
    double rto = Duration.between(launched, healthy).toMillis() / 1000.0;
    assertThat(sh(fresh, HEALTH).check().out()).contains("\"database\":\"ok\"");
    assertThat(sh(fresh, RESTORE_LOG).check().out()).contains("verified: all");

    assertThat(SampleData.tableDigests(fresh))
        .as("every table's rows and content")
        .isEqualTo(tables);
    assertThat(SampleData.redisDigest(w, fresh)).as("Redis keys and values").isEqualTo(redis);
    var search = Backups.apiQuery(w, fresh, "/api/v1/localities/search?q=Jerusalem");
    assertThat(search.statusCode()).as("API search: %s", search.body()).isEqualTo(200);
    assertThat(search.body()).contains("Jerusalem");

    results.metric("backup_db_bytes", dbBytes);
    results.metric("backup_full_s", Math.round(backupS * 10) / 10.0);
    results.metric("backup_full_stored_bytes", fullBytes);
    results.metric("backup_incremental_s", Math.round(incrementalS * 10) / 10.0);
    results.metric("backup_incremental_added_bytes", addedBytes);
    results.metric("backup_incremental_ratio", Math.round(ratio * 10000) / 10000.0);
    results.metric("restore_s", Math.round(restoreS * 10) / 10.0);
    results.metric("rto_s", Math.round(rto * 10) / 10.0);
    return String.format(
        "db %s; backup %.1f s, %s stored; after 1%% change +%s (%.1f%%) in %.1f s; "
            + "restore %.1f s, RTO %.1f s; %d tables and %s Redis keys equal",
        Backups.mib(dbBytes),
        backupS,
        Backups.mib(fullBytes),
        Backups.mib(addedBytes),
        ratio * 100,
        incrementalS,
        restoreS,
        rto,
        tables.size(),
        redis.split(":")[0]);
  }

  /** A runbook command, as the operator types it in a root shell on the instance. */
  private static Cmd.Result sh(Instance i, String command) {
    return i.exec(Backups.UNIT, "bash", "-c", command);
  }
}
