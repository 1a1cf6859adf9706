package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * S3 unreachable for two minutes under writes: the path from the instance to the repository is cut
 * (the TLS front refuses and drops connections; moto and everything it holds stay), while a writer
 * commits a row every 100 ms. Throughout, the API answers /health 200 and /data stays under the
 * bound pgBackRest keeps WAL within (used before + archive-push-queue-max, a quarter of /data), and
 * the lag metrics the alarm reads (WalArchiveAgeSeconds, WalArchiveQueueBytes) reach moto's
 * CloudWatch with non-zero values while S3 is still away. Then S3 returns, archiving catches up by
 * itself, and the runbook's restore to latest holds every acknowledged commit, those of the outage
 * included, without a gap.
 */
final class ArchiveOutage implements Scenario {
  /**
   * Long enough for a few segment switches (archive_timeout 30 s) and two metric runs (every
   * minute).
   */
  private static final Duration OUTAGE = Duration.ofMinutes(2);

  /** If no lag value arrived within the outage, S3 stays away this much longer, at most. */
  private static final Duration METRIC_GRACE = Duration.ofMinutes(2);

  @Override
  public String name() {
    return "archive-outage";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Pitr.assertRunbookHolds();
    Instance i = Backups.launchWithRepository(w);
    Pitr.createWrites(i);
    Backups.assertUnitSucceeded(i, "restic-backup.service", Pitr.sh(i, Pitr.BASE_BACKUP));
    long size = dataBytes(i, "size");
    long usedBefore = dataBytes(i, "used");
    long bound = usedBefore + size / 4;

    Pitr.startWriter(i);
    Pitr.awaitAcks(i, 50, Duration.ofMinutes(1));
    int acksBefore = Pitr.acks(i).size();
    // Values published from the cut on (moto keeps them in arrival order).
    int ages0 = Backups.metric(w, "WalArchiveAgeSeconds").size();
    int queues0 = Backups.metric(w, "WalArchiveQueueBytes").size();
    w.s3Tls().pause();
    Instant cut = Instant.now();
    Instant until = cut.plus(OUTAGE);
    int polls = 0;
    long maxUsed = usedBefore;
    double maxAge = 0;
    double maxQueue = 0;
    while (Instant.now().isBefore(until) || maxAge == 0 || maxQueue == 0) {
      assertThat(Instant.now())
          .as("WalArchiveAgeSeconds and WalArchiveQueueBytes > 0 published while S3 is away")
          .isBefore(until.plus(METRIC_GRACE));
      assertThat(i.healthStatus()).as("the API answers /health while S3 is away").isEqualTo(200);
      maxUsed = Math.max(maxUsed, dataBytes(i, "used"));
      assertThat(maxUsed)
          .as("/data used bytes stay under the bound (used before + queue max)")
          .isLessThan(bound);
      if (polls++ % 5 == 0) {
        maxAge = maxFrom(Backups.metric(w, "WalArchiveAgeSeconds"), ages0);
        maxQueue = maxFrom(Backups.metric(w, "WalArchiveQueueBytes"), queues0);
      }
      Servers.sleep(2000);
    }
    long outageS = Duration.between(cut, Instant.now()).toSeconds();
    int acksDuring = Pitr.acks(i).size() - acksBefore;
    assertThat(acksDuring).as("commits acknowledged while S3 was away").isGreaterThan(300);
    String queued =
        i.sh("ls /data/postgres/pg_wal/archive_status | grep -c ready || true").out().strip();
    assertThat(Integer.parseInt(queued))
        .as("WAL segments waiting for the archive at the end of the outage")
        .isPositive();

    w.s3Tls().resume();
    Pitr.stopWriter(i);
    List<double[]> acks = Pitr.acks(i);
    Pitr.archiveNow(i);
    String committed =
        i.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes");
    Cmd.Result restore = Pitr.sh(i, Pitr.RESTORE_LATEST);
    assertThat(restore.exit())
        .as("zmanim-restore --to latest after the outage: %s", restore.err())
        .isZero();
    i.awaitHealthy(Duration.ofMinutes(2));
    String restored =
        i.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes");
    assertThat(restored)
        .as("rows (count, newest id) restored = committed, the outage's included")
        .isEqualTo(committed);
    assertThat(restored.split(" ")[0]).as("no gap").isEqualTo(restored.split(" ")[1]);
    assertThat(Long.parseLong(restored.split(" ")[1]))
        .as("every acknowledged commit")
        .isGreaterThanOrEqualTo((long) acks.getLast()[0]);

    results.metric("archive_outage_max_wal_age_s", maxAge);
    return String.format(
        "S3 cut for %d s under writes: %d health polls all 200, %d commits meanwhile, "
            + "%s segments queued, /data peak +%.1f MiB (bound +%.0f MiB), WalArchiveAgeSeconds up to %.0f s, "
            + "WalArchiveQueueBytes up to %.0f MiB; after S3 returned, restore to latest holds all %d commits",
        outageS,
        polls,
        acksDuring,
        queued,
        (maxUsed - usedBefore) / 1048576.0,
        size / 4 / 1048576.0,
        maxAge,
        maxQueue / 1048576.0,
        acks.size());
  }

  private static double maxFrom(List<Double> values, int from) {
    return values.subList(Math.min(from, values.size()), values.size()).stream()
        .mapToDouble(Double::doubleValue)
        .max()
        .orElse(0);
  }

  private static long dataBytes(Instance i, String field) {
    return Long.parseLong(
        i.exec("df", "-B1", "--output=" + field, "/data")
            .check()
            .out()
            .lines()
            .skip(1)
            .findFirst()
            .orElseThrow()
            .strip());
  }
}
