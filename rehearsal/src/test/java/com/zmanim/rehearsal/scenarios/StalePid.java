package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;

/**
 * A leftover postmaster.pid from a dead instance (lost without a shutdown; its PID rewritten to 1,
 * a process that is alive on every instance, so PostgreSQL's own stale-lock check cannot clear it):
 * recovered, PostgreSQL starts, the data is there.
 */
final class StalePid implements Scenario {
  @Override
  public String name() {
    return "stale-pid";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance old = Steps.launchHealthy(w).instance();
    old.psql(
        "zmanim", "CREATE TABLE rehearsal_pid (id int); INSERT INTO rehearsal_pid VALUES (42)");
    old.kill(); // the instance is lost: no shutdown, postmaster.pid stays
    w.account().terminateInstance(old.spec().instanceId());

    // Its postmaster.pid names PID 1, which is alive in every new instance.
    Steps.changeOnHostVolume(
        w,
        mnt -> {
          var pid = mnt.resolve("postgres/postmaster.pid");
          assertThat(pid).as("the dead instance left its postmaster.pid").exists();
          var lines = Files.readAllLines(pid);
          lines.set(0, "1");
          return Files.write(pid, lines);
        });

    Instance fresh = w.launch();
    fresh.awaitHealthy(Steps.FIRST_BOOT);
    assertThat(Steps.unitState(fresh, "postgresql@17-main.service")).isEqualTo("active");
    assertThat(fresh.psql("zmanim", "SELECT id FROM rehearsal_pid")).isEqualTo("42");
    return "stale postmaster.pid (PID 1) recovered; PostgreSQL up, data intact";
  }
}
