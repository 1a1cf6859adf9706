package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;

/**
 * Rows and Redis keys written, the instance stopped cleanly and replaced by a fresh copy of the
 * image with the same volume (as the ASG does on an AMI upgrade): everything committed is there;
 * downtime measured from the stop to the new instance's /health 200.
 */
final class AmiUpgrade implements Scenario {
  @Override
  public String name() {
    return "ami-upgrade";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance old = Steps.launchHealthy(w).instance();
    String sysid = Steps.systemIdentifier(old);
    old.psql(
        "zmanim",
        "CREATE TABLE rehearsal_upgrade (id int PRIMARY KEY, at timestamptz DEFAULT now());"
            + "INSERT INTO rehearsal_upgrade (id) SELECT g FROM generate_series(1, 5000) g");
    for (int k = 0; k < 100; k++) {
      Steps.redis(w, old, "SET", "rehearsal:upgrade:" + k, "v" + k);
    }
    Servers.sleep(1100); // keys written >= 1 s before the stop must survive

    Instant stop = Instant.now();
    w.terminate(old);
    Instance fresh = w.launch();
    Instant healthy = fresh.awaitHealthy(Steps.FIRST_BOOT);
    double downtime = Duration.between(stop, healthy).toMillis() / 1000.0;
    results.metric("upgrade_downtime_s", downtime);
    Steps.awaitBootComplete(fresh);

    assertThat(fresh.root()).isNotEqualTo(old.root());
    assertThat(Steps.systemIdentifier(fresh)).as("same database cluster").isEqualTo(sysid);
    assertThat(fresh.psql("zmanim", "SELECT count(*), sum(id) FROM rehearsal_upgrade"))
        .isEqualTo("5000|12502500");
    for (int k = 0; k < 100; k++) {
      assertThat(Steps.redis(w, fresh, "GET", "rehearsal:upgrade:" + k)).isEqualTo("v" + k);
    }
    String id = fresh.spec().instanceId();
    assertThat(Steps.volumeRecord(w).attachments().getFirst().instanceId()).isEqualTo(id);
    assertThat(Steps.addressRecord(w).instanceId()).isEqualTo(id);
    assertThat(w.awaitSignals(2, Duration.ofSeconds(30)))
        .last()
        .satisfies(
            s -> {
              assertThat(s.uniqueId()).isEqualTo(id);
              assertThat(s.status()).isEqualTo("SUCCESS");
            });
    return String.format(
        "downtime %.1f s (stop to new /health 200); 5000 rows, 100 keys kept", downtime);
  }
}
