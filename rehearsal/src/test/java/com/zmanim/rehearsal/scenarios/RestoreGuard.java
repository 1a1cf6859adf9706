package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.Map;

/**
 * A restore onto a /data that holds a live database: refused without --force, and nothing touched
 * (tables, Redis, its files, the API's process). With the same data, the restore drill
 * (restore-drill.service, as its timer starts it) restores into a scratch database, publishes
 * RestoreDrillSuccess=1 and leaves the live data alone. A forced restore whose Redis phase fails
 * half-way (the temporary redis-server running) puts back what it stopped: the temporary server is
 * gone, Redis runs its previous data again, the API runs. Finally --force does restore the backup.
 */
final class RestoreGuard implements Scenario {
  @Override
  public String name() {
    return "restore-guard";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    SampleData.generate(i, 0.01);
    SampleData.fillRedis(w, i, 500);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    Map<String, String> backedUp = SampleData.tableDigests(i);
    String redisBackedUp = SampleData.redisDigest(w, i);

    // Live changes after the backup: what a careless restore would destroy.
    i.psql(
        "zmanim",
        "INSERT INTO bench_events SELECT id + 10000000, at, kind, 'written after the backup'"
            + " FROM bench_events WHERE id <= 100");
    Steps.redis(w, i, "SET", "written:after:backup", "1");
    Map<String, String> live = SampleData.tableDigests(i);
    String redisLive = SampleData.redisDigest(w, i);
    String apiPid =
        i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip();
    String redisFiles =
        i.exec("bash", "-c", "cd /data/redis && find . -printf '%p %s %T@\\n' | sort")
            .check()
            .out();

    // 1. Without --force: refused, nothing touched.
    Cmd.Result refused = i.exec(Backups.UNIT, "zmanim-restore");
    assertThat(refused.exit()).as("zmanim-restore without --force on live data").isNotZero();
    assertThat(refused.err()).contains("refusing to overwrite").contains("nothing was touched");
    assertThat(SampleData.tableDigests(i)).as("tables untouched").isEqualTo(live);
    assertThat(SampleData.redisDigest(w, i)).as("Redis untouched").isEqualTo(redisLive);
    assertThat(
            i.exec("bash", "-c", "cd /data/redis && find . -printf '%p %s %T@\\n' | sort")
                .check()
                .out())
        .as("Redis files untouched")
        .isEqualTo(redisFiles);
    assertThat(i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip())
        .as("the API was not stopped or restarted")
        .isEqualTo(apiPid);

    // 2. The drill: scratch database only, metric published, live data untouched.
    Cmd.Result drill = Backups.startUnit(i, "restore-drill.service");
    Backups.assertUnitSucceeded(i, "restore-drill.service", drill);
    assertThat(Backups.metric(w, "RestoreDrillSuccess"))
        .as("RestoreDrillSuccess in moto")
        .containsExactly(1.0);
    assertThat(
            i.psql("postgres", "SELECT count(*) FROM pg_database WHERE datname = 'zmanim_drill'"))
        .as("scratch database dropped")
        .isEqualTo("0");
    Map<String, String> afterDrill = SampleData.tableDigests(i);
    assertThat(afterDrill).as("live tables untouched by the drill").isEqualTo(live);

    // 3. A forced restore whose Redis phase fails while the temporary redis-server runs (a fault
    // injected in front of redis-cli): everything it stopped is running again, nothing of it is
    // left.
    i.sh(
            "printf '%s\\n' '#!/bin/sh' 'case \"$*\" in *\"CONFIG SET appendonly\"*) echo injected failure >&2; exit 1 ;; esac'"
                + " 'exec /usr/bin/redis-cli \"$@\"' >/usr/local/bin/redis-cli && chmod 755 /usr/local/bin/redis-cli")
        .check();
    Cmd.Result halfway = i.exec(Backups.UNIT, "zmanim-restore", "--force");
    i.sh("rm -f /usr/local/bin/redis-cli").check();
    assertThat(halfway.exit()).as("zmanim-restore --force with Redis failing half-way").isNotZero();
    assertThat(halfway.err())
        .contains("stopped the temporary redis-server")
        .contains("started Redis again")
        .contains("started the API again");
    assertThat(i.exec("pgrep", "-f", "restore.sock").exit())
        .as("no temporary redis-server left")
        .isNotZero();
    assertThat(i.exec("systemctl", "is-active", "redis-server.service", "zmanim-api.service").out())
        .as("Redis and the API run again")
        .isEqualTo("active\nactive\n");
    assertThat(SampleData.redisDigest(w, i))
        .as("Redis holds its previous data again")
        .isEqualTo(redisLive);
    i.awaitHealthy(Duration.ofMinutes(2));

    // 4. With --force the backup comes back, replacing what was written after it.
    Cmd.Result forced = i.exec(Backups.UNIT, "zmanim-restore", "--force");
    assertThat(forced.exit()).as("zmanim-restore --force: %s", forced.err()).isZero();
    i.awaitHealthy(Duration.ofMinutes(2));
    assertThat(SampleData.tableDigests(i)).isEqualTo(backedUp);
    assertThat(SampleData.redisDigest(w, i)).isEqualTo(redisBackedUp);
    assertThat(i.exec("bash", "-c", "ls -d /data/redis/pre-restore-*").check().out())
        .as("the replaced Redis files are kept")
        .contains("pre-restore-");
    return "refused without --force, tables/Redis/files/API untouched; drill published RestoreDrillSuccess=1; "
        + "a failed Redis phase put Redis and the API back; --force restored "
        + backedUp.size()
        + " tables";
  }
}
