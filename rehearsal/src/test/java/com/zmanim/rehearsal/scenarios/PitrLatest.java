package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The instance and its volume are lost under writes, and a new instance restores the latest point
 * from the bucket: a writer commits a row every 100 ms (each row holds its commit time; psql's
 * acknowledgements go to a file); after a base backup and a minute and a half of writes the
 * instance is killed (SIGKILL to its init: no clean shutdown, no last archive push) and its volume
 * destroyed. A fresh instance boots on a blank volume and the runbook's `zmanim-restore --to latest
 * --force` brings back every commit up to the newest archived one, with no gap. RPO = the last
 * commit acknowledged before the kill minus the newest restored commit (must be at most 60 s); RTO
 * = launch of the new instance to restored and /health 200.
 */
final class PitrLatest implements Scenario {
  @Override
  public String name() {
    return "pitr-latest";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Pitr.assertRunbookHolds();
    Instance src = Backups.launchWithRepository(w);
    Pitr.createWrites(src);
    SampleData.generate(src, 0.01);
    Backups.assertUnitSucceeded(src, "restic-backup.service", Pitr.sh(src, Pitr.BASE_BACKUP));
    assertThat(Backups.metric(w, "BaseBackupSuccess"))
        .as("BaseBackupSuccess in moto")
        .containsExactly(1.0);

    Pitr.startWriter(src);
    // 900 commits at 10 per second: at least one archive_timeout passes under writes.
    Pitr.awaitAcks(src, 900, Duration.ofMinutes(4));
    src.kill();
    List<double[]> acks = Pitr.acks(src);
    double[] lastAck = acks.getLast();
    w.account().terminateInstance(src.spec().instanceId());
    Instance fresh = Steps.launchOnBlankVolume(w);
    Instant launched = fresh.launchedAt();
    long t0 = System.nanoTime();
    Cmd.Result restore = Pitr.sh(fresh, Pitr.RESTORE_LATEST);
    double restoreS = (System.nanoTime() - t0) / 1e9;
    assertThat(restore.exit()).as("zmanim-restore --to latest: %s", restore.err()).isZero();
    Instant healthy = fresh.awaitHealthy(Duration.ofMinutes(2));
    double rto = Duration.between(launched, healthy).toMillis() / 1000.0;
    assertThat(Pitr.sh(fresh, Pitr.HEALTH).check().out()).contains("\"database\":\"ok\"");
    String log = Pitr.sh(fresh, Pitr.RESTORE_LOG).check().out();
    assertThat(log).contains("verified: all").contains("newest restored commit at");

    String[] restored =
        fresh
            .psql(
                "zmanim",
                "SELECT count(*) || ' ' || coalesce(max(id), 0) || ' '"
                    + " || coalesce(extract(epoch FROM max(at)), 0) FROM pitr_writes")
            .split(" ");
    long count = Long.parseLong(restored[0]);
    long maxId = Long.parseLong(restored[1]);
    double newest = Double.parseDouble(restored[2]);
    assertThat(count).as("restored commits have no gap (ids 1..max)").isEqualTo(maxId).isPositive();
    assertThat(maxId)
        .as("no restored commit beyond the last acknowledged one")
        .isLessThanOrEqualTo((long) lastAck[0]);
    double rpo = lastAck[1] - newest;
    assertThat(rpo)
        .as("RPO: last acknowledged commit minus newest restored commit, seconds")
        .isBetween(0.0, 60.0);
    assertThat(Backups.apiQuery(w, fresh, "/api/v1/localities/search?q=Jerusalem").statusCode())
        .isEqualTo(200);

    results.metric("rpo_s", Math.round(rpo * 10) / 10.0);
    results.metric("rto_pitr_s", Math.round(rto * 10) / 10.0);
    results.metric("pitr_restore_latest_s", Math.round(restoreS * 10) / 10.0);
    return String.format(
        "%d commits acknowledged, %d restored without a gap; RPO %.1f s, restore %.1f s, RTO %.1f s",
        acks.size(), count, rpo, restoreS, rto);
  }
}
