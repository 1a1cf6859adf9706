package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The point-in-time recovery benchmark (`make bench-pitr`, docs/benchmarks.md; not in the suite: it
 * measures, it adds no claim the PITR scenarios do not prove): a database of about 1 GiB is
 * generated (the backup scenarios' tables, PostGIS rows, primary keys), its WAL archived; a full
 * pgBackRest base backup is taken with the command the daily job runs (zmanim-backup's base
 * backup); a marker row is committed and archived after it. Then the instance and its volume are
 * lost, a fresh instance boots on a blank volume and the runbook's `zmanim-restore --to latest
 * --force` brings everything back: every table's row count and the marker. Records the fill's WAL
 * (generated and as archived, i.e. the compression the cost model assumes), the backup's time and
 * size in the bucket, the restore's time and its throughput.
 */
final class BenchPitr implements Scenario {
  /**
   * The base backup, exactly as zmanim-backup's base_backup runs it on a Sunday (pgbr in
   * common.sh).
   */
  static final String FULL_BACKUP =
      "runuser -u postgres -- pgbackrest --stanza=zmanim backup --type=full";

  private static final String INFO =
      "runuser -u postgres -- pgbackrest --stanza=zmanim info --output=json";
  /* zmanim-restore-pitr logs both as seconds since it started (stop, set aside, restore, then replay). */
  private static final Pattern RESTORED =
      Pattern.compile("pgBackRest restored the base backup in (\\d+)s");
  private static final Pattern PROMOTED =
      Pattern.compile("recovery complete and promoted in (\\d+)s");
  private static final double GIB = 1024.0 * 1024 * 1024;

  @Override
  public String name() {
    return "bench-pitr";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance src = Backups.launchWithRepository(w);
    Pitr.archiveNow(src);
    String lsn0 = src.psql("postgres", "SELECT pg_current_wal_lsn()");
    long archive0 = Backups.prefixBytes(w, "pgbackrest/archive/");

    long t0 = System.nanoTime();
    long dbBytes = SampleData.generate(src, 1.0);
    double fillS = (System.nanoTime() - t0) / 1e9;
    assertThat(dbBytes).as("database size").isBetween(900L << 20, 1400L << 20);
    t0 = System.nanoTime();
    Pitr.archiveNow(src);
    double drainS = (System.nanoTime() - t0) / 1e9;
    long walGenerated =
        Long.parseLong(
            src.psql("postgres", "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsn0 + "')"));
    long walArchived = Backups.prefixBytes(w, "pgbackrest/archive/") - archive0;
    assertThat(walArchived).as("WAL of the fill in the bucket").isPositive();
    w.progress()
        .say(
            String.format(
                "  fill: %s in %.1f s; its WAL: %s generated, %s archived (%.2f:1), drained %.1f s later",
                Backups.mib(dbBytes),
                fillS,
                Backups.mib(walGenerated),
                Backups.mib(walArchived),
                (double) walGenerated / walArchived,
                drainS));

    long backup0 = Backups.prefixBytes(w, "pgbackrest/backup/");
    t0 = System.nanoTime();
    Cmd.Result backup = Pitr.sh(src, FULL_BACKUP);
    double backupS = (System.nanoTime() - t0) / 1e9;
    assertThat(backup.exit()).as("pgbackrest backup --type=full: %s", backup.err()).isZero();
    long backupBytes = Backups.prefixBytes(w, "pgbackrest/backup/") - backup0;
    JsonNode last = lastBackup(info(src));
    assertThat(last.path("type").asText())
        .as("the newest backup in pgbackrest info")
        .isEqualTo("full");
    long clusterBytes = last.path("info").path("size").asLong();
    assertThat(clusterBytes).as("the backup covers the database").isGreaterThan(dbBytes);
    assertThat(backupBytes).as("the backup's objects in the bucket").isPositive();
    w.progress()
        .say(
            String.format(
                "  full backup: %.1f s; cluster %s, %s in the bucket",
                backupS, Backups.mib(clusterBytes), Backups.mib(backupBytes)));

    // After the backup: a commit that only the archived WAL holds, so "latest" is more than the
    // backup.
    src.sql()
        .script(
            "zmanim",
            """
                CREATE TABLE bench_marker (at timestamptz NOT NULL DEFAULT clock_timestamp());
                ALTER TABLE bench_marker OWNER TO zmanim;
                INSERT INTO bench_marker DEFAULT VALUES;
                """);
    Pitr.archiveNow(src);
    String counts = counts(src);

    w.terminate(src);
    Instance fresh = Steps.launchOnBlankVolume(w);
    Instant launched = fresh.launchedAt();
    t0 = System.nanoTime();
    Cmd.Result restore = Pitr.sh(fresh, Pitr.RESTORE_LATEST);
    double restoreS = (System.nanoTime() - t0) / 1e9;
    assertThat(restore.exit()).as("zmanim-restore --to latest: %s", restore.err()).isZero();
    double rto =
        Duration.between(launched, fresh.awaitHealthy(Duration.ofMinutes(2))).toMillis() / 1000.0;
    String log = Pitr.sh(fresh, Pitr.RESTORE_LOG).check().out();
    assertThat(log).contains("verified: all");
    assertThat(counts(fresh))
        .as("every generated table's rows and the marker written after the backup")
        .isEqualTo(counts);
    long restoredS = seconds(RESTORED, log);
    long replayS = seconds(PROMOTED, log) - restoredS;

    double gib = clusterBytes / GIB;
    double throughput = gib / (restoreS / 60);
    double pgbackrestThroughput = gib / (Math.max(restoredS, 1) / 60.0);
    results.metric("bench_pitr_db_bytes", dbBytes);
    results.metric("bench_pitr_fill_wal_bytes", walGenerated);
    results.metric("bench_pitr_fill_wal_archived_bytes", walArchived);
    results.metric("base_backup_seconds", backupS);
    results.metric("base_backup_bytes", backupBytes);
    results.metric("base_backup_cluster_bytes", clusterBytes);
    results.metric("bench_pitr_restore_s", restoreS);
    results.metric("bench_pitr_restore_pgbackrest_s", restoredS);
    results.metric("bench_pitr_restore_replay_s", replayS);
    results.metric("bench_pitr_restore_gib_per_min", throughput);
    results.metric("bench_pitr_restore_pgbackrest_gib_per_min", pgbackrestThroughput);
    results.metric("bench_pitr_rto_s", rto);
    results.extra(
        "bench_pitr_note",
        "base_backup_*: `"
            + FULL_BACKUP
            + "` of a generated ~1 GiB database, timed from"
            + " the host; bytes = growth of pgbackrest/backup/ in the bucket (zstd, encrypted). Restore: the runbook's `"
            + Pitr.RESTORE_LATEST
            + "` on a fresh instance and blank volume (pgBackRest restore, WAL replay, promotion,"
            + " every table read as zmanim, API restart); GiB/min = the backup's cluster size / that time;"
            + " _pgbackrest_ = from the script's start to pgBackRest's restore done (whole seconds, its log);"
            + " rto = launch of the fresh instance to /health 200 after the restore.");
    return String.format(
        "db %s (WAL %s → %s archived); full backup %.1f s, %s in the bucket; restore --to latest"
            + " %.1f s (pgBackRest %d s, replay %d s): %.2f GiB/min of a %.2f GiB cluster (pgBackRest alone"
            + " %.2f); RTO %.1f s",
        Backups.mib(dbBytes),
        Backups.mib(walGenerated),
        Backups.mib(walArchived),
        backupS,
        Backups.mib(backupBytes),
        restoreS,
        restoredS,
        replayS,
        throughput,
        gib,
        pgbackrestThroughput,
        rto);
  }

  private static JsonNode info(Instance i) {
    try {
      return new ObjectMapper().readTree(Pitr.sh(i, INFO).check().out());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The newest backup of the stanza (Jackson's path(-1) does not index from the end). */
  private static JsonNode lastBackup(JsonNode info) {
    JsonNode backups = info.path(0).path("backup");
    return backups.path(backups.size() - 1);
  }

  /** Row counts of the generated tables and the marker, one line each. */
  private static String counts(Instance i) {
    return i.psql(
        "zmanim",
        "SELECT string_agg(t || ' ' || n, E'\\n' ORDER BY t) FROM ("
            + " SELECT 'bench_events' t, count(*) n FROM bench_events UNION ALL"
            + " SELECT 'bench_places', count(*) FROM bench_places UNION ALL"
            + " SELECT 'bench_users', count(*) FROM bench_users UNION ALL"
            + " SELECT 'bench_documents', count(*) FROM bench_documents UNION ALL"
            + " SELECT 'bench_marker', count(*) FROM bench_marker) c");
  }

  private static long seconds(Pattern p, String log) {
    Matcher m = p.matcher(log);
    assertThat(m.find()).as("zmanim-restore's log says %s", p.pattern()).isTrue();
    return Long.parseLong(m.group(1));
  }
}
