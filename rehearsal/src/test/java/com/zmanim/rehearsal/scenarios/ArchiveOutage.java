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
 * S3 unreachable for three minutes under writes: the path from the instance to the repository is cut
 * (the TLS front refuses and drops connections; moto and everything it holds stay), while a writer
 * commits a row every 100 ms. The API keeps answering /health 200 throughout, /data stays under the
 * bound pgBackRest keeps WAL within (used before + archive-push-queue-max, a quarter of /data), and
 * the lag metric WalArchiveAgeSeconds reaches moto's CloudWatch above a minute. Then S3 returns,
 * archiving catches up by itself, and a restore to latest holds every acknowledged commit, those of
 * the outage included, without a gap.
 */
final class ArchiveOutage implements Scenario {
    private static final Duration OUTAGE = Duration.ofMinutes(3);

    @Override
    public String name() {
        return "archive-outage";
    }

    @Override
    public String run(World w, Results results) throws Exception {
        Instance i = Backups.launchWithRepository(w);
        Pitr.createWrites(i);
        Backups.assertUnitSucceeded(i, "restic-backup.service", Pitr.sh(i, Pitr.BASE_BACKUP));
        long size = dataBytes(i, "size");
        long usedBefore = dataBytes(i, "used");
        long bound = usedBefore + size / 4;

        Pitr.startWriter(i);
        Pitr.awaitAcks(i, 50, Duration.ofMinutes(1));
        int acksBefore = Pitr.acks(i).size();
        w.s3Tls().pause();
        Instant until = Instant.now().plus(OUTAGE);
        int polls = 0;
        long maxUsed = usedBefore;
        while (Instant.now().isBefore(until)) {
            assertThat(i.healthStatus()).as("the API answers /health during the outage").isEqualTo(200);
            maxUsed = Math.max(maxUsed, dataBytes(i, "used"));
            assertThat(maxUsed).as("/data used bytes stay under the bound (used before + queue max)").isLessThan(bound);
            polls++;
            Servers.sleep(2000);
        }
        int acksDuring = Pitr.acks(i).size() - acksBefore;
        assertThat(acksDuring).as("commits acknowledged during the outage").isGreaterThan(600);
        Instant deadline = Instant.now().plus(Duration.ofMinutes(3));
        while (Backups.metric(w, "WalArchiveAgeSeconds").stream().noneMatch(v -> v > 60)) {
            assertThat(Instant.now()).as("WalArchiveAgeSeconds > 60 published during the outage").isBefore(deadline);
            Servers.sleep(2000);
        }
        double maxAge = Backups.metric(w, "WalArchiveAgeSeconds").stream().mapToDouble(Double::doubleValue).max().orElse(0);
        String queued = i.sh("ls /data/postgres/pg_wal/archive_status | grep -c ready || true").out().strip();

        w.s3Tls().resume();
        Pitr.stopWriter(i);
        List<double[]> acks = Pitr.acks(i);
        Pitr.archiveNow(i);
        Cmd.Result restore = Pitr.sh(i, Pitr.RESTORE_LATEST);
        assertThat(restore.exit()).as("zmanim-restore --to latest after the outage: %s", restore.err()).isZero();
        i.awaitHealthy(Duration.ofMinutes(2));
        String[] restored = i.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes").split(" ");
        assertThat(Long.parseLong(restored[0])).as("no gap").isEqualTo(Long.parseLong(restored[1]));
        assertThat(Long.parseLong(restored[1])).as("every acknowledged commit, the outage's included")
                .isEqualTo((long) acks.getLast()[0]);

        results.metric("archive_outage_max_wal_age_s", maxAge);
        return String.format("S3 cut for %d s under writes: %d health polls all 200, %d commits during the outage, "
                        + "%s segments queued, /data peak +%.1f MiB (bound +%.0f MiB), WalArchiveAgeSeconds up to %.0f s; "
                        + "after S3 returned, restore to latest holds all %d commits", OUTAGE.toSeconds(), polls,
                acksDuring, queued, (maxUsed - usedBefore) / 1048576.0, size / 4 / 1048576.0, maxAge, acks.size());
    }

    private static long dataBytes(Instance i, String field) {
        return Long.parseLong(i.exec("df", "-B1", "--output=" + field, "/data").check().out().lines().skip(1)
                .findFirst().orElseThrow().strip());
    }
}
