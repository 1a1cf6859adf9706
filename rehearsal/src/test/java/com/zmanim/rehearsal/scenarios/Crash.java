package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * kill -9 of PostgreSQL, then Redis, then the API, under a small write load: systemd restarts each,
 * /health returns, no committed row is lost.
 */
final class Crash implements Scenario {
  @Override
  public String name() {
    return "crash";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Steps.launchHealthy(w).instance();
    i.psql("zmanim", "CREATE TABLE rehearsal_load (id int PRIMARY KEY)");
    // The load: one committed insert at a time; an id is logged only after psql reported its
    // commit.
    i.sh(
            "cat > /root/load.sh <<'EOF'\n"
                + "n=0; while [ ! -e /root/load.stop ]; do n=$((n+1));\n"
                + "  if runuser -u postgres -- psql -X -q -d zmanim -c \"INSERT INTO rehearsal_load VALUES ($n)\" 2>/dev/null;"
                + " then echo $n >> /root/committed; fi; sleep 0.05; done\nEOF\n"
                + "rm -f /root/load.stop /root/committed; systemd-run --unit=rehearsal-load bash /root/load.sh")
        .check();
    List<String> recovered = new ArrayList<>();
    for (String unit : Steps.SERVICES) {
      String before = mainPid(i, unit);
      assertThat(before).as("%s has a main PID", unit).isNotIn("", "0");
      i.exec("kill", "-9", before).check();
      Instant t0 = Instant.now();
      Instant deadline = t0.plusSeconds(90);
      while (Instant.now().isBefore(deadline)
          && !(Steps.unitState(i, unit).equals("active")
              && !mainPid(i, unit).equals(before)
              && !mainPid(i, unit).equals("0"))) {
        Servers.sleep(200);
      }
      assertThat(Steps.unitState(i, unit)).as("%s restarted by systemd", unit).isEqualTo("active");
      i.awaitHealthy(Duration.ofSeconds(90));
      recovered.add(
          String.format(
              "%s %.1f s",
              unit.replace(".service", ""),
              Duration.between(t0, Instant.now()).toMillis() / 1000.0));
    }
    Servers.sleep(1000);
    i.sh("touch /root/load.stop; sleep 1").check();
    List<String> committed = i.exec("cat", "/root/committed").check().out().lines().toList();
    assertThat(committed.size()).as("the load committed rows").isGreaterThan(20);
    String missing =
        i.psql(
            "zmanim",
            "SELECT count(*) FROM unnest(ARRAY["
                + String.join(",", committed)
                + "]) AS c(id) WHERE NOT EXISTS (SELECT 1 FROM rehearsal_load r WHERE r.id = c.id)");
    assertThat(missing).as("committed rows missing after the crashes").isEqualTo("0");
    return "restarted: "
        + String.join(", ", recovered)
        + "; "
        + committed.size()
        + " committed rows all present";
  }

  static String mainPid(Instance i, String unit) {
    return i.exec("systemctl", "show", "-P", "MainPID", unit).out().strip();
  }
}
