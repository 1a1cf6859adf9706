package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;

/** The same instance booted again: nothing reformatted or re-initialised, data intact. */
final class Reboot implements Scenario {
  @Override
  public String name() {
    return "reboot";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Steps.launchHealthy(w).instance();
    String uuid = Steps.blkid(w, "UUID");
    String sysid = Steps.systemIdentifier(i);
    i.psql(
        "zmanim",
        "CREATE TABLE rehearsal_reboot (id int PRIMARY KEY, note text);"
            + "INSERT INTO rehearsal_reboot SELECT g, 'row ' || g FROM generate_series(1, 1000) g");
    Steps.redis(w, i, "SET", "rehearsal:reboot", "kept");

    w.reboot(i);
    var healthy = i.awaitHealthy(Steps.FIRST_BOOT);
    double warm = Duration.between(i.launchedAt(), healthy).toMillis() / 1000.0;
    results.metric("boot_to_healthy_warm_s", warm);
    Steps.awaitBootComplete(i);

    assertThat(Steps.blkid(w, "UUID")).as("filesystem UUID (not reformatted)").isEqualTo(uuid);
    assertThat(Steps.systemIdentifier(i))
        .as("database system identifier (no new initdb)")
        .isEqualTo(sysid);
    assertThat(i.psql("zmanim", "SELECT count(*) FROM rehearsal_reboot")).isEqualTo("1000");
    assertThat(Steps.redis(w, i, "GET", "rehearsal:reboot")).isEqualTo("kept");
    assertThat(w.awaitSignals(2, Duration.ofSeconds(30)))
        .as("one success signal per boot")
        .hasSize(2)
        .allSatisfy(s -> assertThat(s.status()).isEqualTo("SUCCESS"));
    return String.format(
        "warm boot healthy in %.1f s; UUID %s and system id unchanged", warm, uuid);
  }
}
