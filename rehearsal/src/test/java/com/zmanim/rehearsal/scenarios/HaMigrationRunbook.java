package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.HaFleet;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * docs/runbooks/migrate-to-ha.md in the rehearsal: a single instance's fresh logical dump (with a
 * table only it has), restored from one ha instance into the stand-in for Aurora with the runbook's
 * on-instance commands, run verbatim; every table's row count equal on both sides, the previous
 * database kept, and the ha instances serving the restored database.
 */
final class HaMigrationRunbook {
  /** The runbook's commands, as the operator types them. */
  static final String BACKUP_ON_SINGLE = "ZMANIM_LOGICAL_DUMP_WEEKDAY=daily zmanim-backup";

  static final String RESTORE_ON_HA = "zmanim-migrate-restore";

  /** Every table's row count, the same statement the backup records them with (common.sh). */
  private static final String COUNTS =
      ". /usr/local/lib/zmanim/common.sh && rowcount_sql"
          + " | runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -d zmanim";

  private static final int MARKER_ROWS = 321;

  /** What the restore measured. */
  record Outcome(int tables, double restoreSeconds) {}

  private HaMigrationRunbook() {}

  /** Runs the runbook from a new single instance into the stand-in, through {@code ha}'s first. */
  static Outcome run(World w, HaFleet fleet, List<Instance> ha, String searchPath)
      throws Exception {
    String runbook = Files.readString(w.layout().repo().resolve("docs/runbooks/migrate-to-ha.md"));
    assertThat(runbook)
        .as("docs/runbooks/migrate-to-ha.md holds the commands this scenario runs")
        .contains("```bash\n" + BACKUP_ON_SINGLE + "\n```")
        .contains("```bash\n" + RESTORE_ON_HA + "\n```");
    Instance single = Backups.launchWithRepository(w);
    single
        .sql()
        .script(
            "zmanim",
            "zmanim",
            "CREATE TABLE migration_marker (id int PRIMARY KEY);"
                + " INSERT INTO migration_marker SELECT generate_series(1, "
                + MARKER_ROWS
                + ");",
            Duration.ofMinutes(2));
    Cmd.Result backup = single.exec(Backups.UNIT, "bash", "-c", BACKUP_ON_SINGLE);
    assertThat(backup.exit())
        .as("on the single instance: %s: %s", BACKUP_ON_SINGLE, backup.err())
        .isZero();
    String expected = single.exec(Duration.ofMinutes(2), "bash", "-c", COUNTS).check().out();

    Instance target = ha.getFirst();
    // Rehearsal only: restic takes instance-profile keys from 169.254.169.254 alone and cannot
    // reach the metadata mock (as for the backup scenarios); moto does not check them.
    fleet.addEndpoints(
        target, Map.of("AWS_ACCESS_KEY_ID", "rehearsal", "AWS_SECRET_ACCESS_KEY", "rehearsal"));
    Instant t0 = Instant.now();
    Cmd.Result restore = target.exec(Backups.UNIT, "bash", "-c", RESTORE_ON_HA);
    double restoreSeconds = Duration.between(t0, Instant.now()).toMillis() / 1000.0;
    assertThat(restore.exit())
        .as("on %s: %s: %s", target.name(), RESTORE_ON_HA, restore.err())
        .isZero();

    String restored =
        fleet.standIn().container().exec(Duration.ofMinutes(2), "bash", "-c", COUNTS).check().out();
    assertThat(restored)
        .as("every table's row count in the stand-in equals the single instance's")
        .isEqualTo(expected)
        .contains("public.migration_marker\t" + MARKER_ROWS);
    assertThat(
            fleet
                .standIn()
                .psql(
                    "postgres",
                    "SELECT count(*) FROM pg_database WHERE datname LIKE "
                        + "'zmanim_before_migration_%'"))
        .as("the previous database kept, renamed")
        .isEqualTo("1");
    String origin = w.secrets().get("origin-verify-secret");
    for (Instance i : ha) {
      Instant deadline = Instant.now().plusSeconds(30);
      int status = -1;
      while (Instant.now().isBefore(deadline) && (status = status(i, searchPath, origin)) != 200) {
        Servers.sleep(500);
      }
      assertThat(status).as("%s serves from the restored database", i.name()).isEqualTo(200);
    }
    return new Outcome((int) expected.lines().count(), restoreSeconds);
  }

  private static int status(Instance i, String path, String origin) {
    try {
      return i.http(path, "X-Origin-Verify", origin).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }
}
