package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.Map;

/**
 * What the WAL archive costs while nothing is written (`make bench-wal-idle`, docs/benchmarks.md;
 * not in the suite: it idles for a quarter of an hour). An instance with its repository (the
 * operator's `zmanim-backup init`) and the API up, no writes. Its archive is drained, then left
 * alone for one checkpoint_timeout plus one archive_timeout, so that what the boot, the API's
 * migrations and init wrote (and the checkpoint that follows them) is archived before the window:
 * from then on the only WAL is the 5-minute heartbeat of zmanim-wal-metrics and what it causes (a
 * checkpoint record, each switched into a segment by archive_timeout). The window is
 * BENCH_WAL_IDLE_MINUTES (default 10: two heartbeat periods); the segments and bytes that appeared
 * under pgbackrest/archive/ in it, scaled to an hour, are wal_archived_*_per_idle_hour. An idle
 * database must still archive within the window (the heartbeat's purpose: "no PUT for 30 minutes"
 * means archiving stopped).
 */
final class BenchWalIdle implements Scenario {
  private static final String ARCHIVE = "pgbackrest/archive/";

  @Override
  public String name() {
    return "bench-wal-idle";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Duration window =
        Duration.ofMinutes(
            Long.parseLong(System.getenv().getOrDefault("BENCH_WAL_IDLE_MINUTES", "10")));
    Instance i = Backups.launchWithRepository(w);
    long checkpointS =
        Long.parseLong(
            i.psql(
                "postgres", "SELECT setting FROM pg_settings WHERE name = 'checkpoint_timeout'"));
    long archiveTimeoutS =
        Long.parseLong(
            i.psql("postgres", "SELECT setting FROM pg_settings WHERE name = 'archive_timeout'"));
    Pitr.archiveNow(i);
    Duration settle = Duration.ofSeconds(checkpointS + archiveTimeoutS + 30);
    w.progress()
        .say(
            String.format(
                "  archive drained; settling %d s (checkpoint_timeout %d s + archive_timeout %d s"
                    + " + 30 s), then measuring %d min idle",
                settle.toSeconds(), checkpointS, archiveTimeoutS, window.toMinutes()));
    Thread.sleep(settle.toMillis());

    Map<String, Long> before = Backups.objects(w, ARCHIVE);
    String lsnBefore = i.psql("postgres", "SELECT pg_current_wal_lsn()");
    long t0 = System.nanoTime();
    Thread.sleep(window.toMillis());
    Map<String, Long> after = Backups.objects(w, ARCHIVE);
    double hours = (System.nanoTime() - t0) / 3.6e12;
    long walWritten =
        Long.parseLong(
            i.psql(
                "postgres", "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + lsnBefore + "')"));

    long segments = 0;
    long bytes = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      if (!before.containsKey(e.getKey())) {
        bytes += e.getValue();
        if (e.getKey().matches(".*/[0-9A-F]{24}-[0-9a-f]{40}(\\.[a-z0-9]+)?$")) {
          segments++;
        }
      }
    }
    assertThat(segments)
        .as(
            "WAL segments archived in %d idle minutes (the heartbeat keeps archiving alive)",
            window.toMinutes())
        .isPositive();
    assertThat(
            i.exec("find", "/data/postgres/pg_wal/archive_status", "-name", "*.ready")
                .out()
                .strip())
        .as("no segment left waiting: the archive kept up")
        .isEmpty();
    long perHour = Math.round(bytes / hours);
    results.metric("wal_archived_bytes_per_idle_hour", perHour);
    results.metric("wal_archived_segments_per_idle_hour", Math.round(segments / hours * 10) / 10.0);
    results.metric("wal_idle_bytes_per_segment", bytes / segments);
    results.extra(
        "wal_archived_bytes_per_idle_hour_note",
        String.format(
            "bench-wal-idle: growth of %s in the bucket"
                + " (objects that appeared: %d WAL segments, %d bytes) over %.1f idle minutes that started %d s after the"
                + " archive was drained (checkpoint_timeout + archive_timeout + 30 s), scaled to an hour; PostgreSQL wrote"
                + " %d bytes of WAL in the window",
            ARCHIVE, segments, bytes, hours * 60, settle.toSeconds(), walWritten));
    return String.format(
        "%d segments (%d bytes, %d per segment) archived in %.1f idle minutes: %.1f segments, %d bytes"
            + " an hour; %d bytes of WAL written",
        segments, bytes, bytes / segments, hours * 60, segments / hours, perHour, walWritten);
  }
}
