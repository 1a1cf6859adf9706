package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A bad DELETE undone by restoring to just before it: rows, a base backup, more rows, then at T a
 * DELETE of half of them, then more rows. First the restore's bad input, on the same live instance:
 * an unknown --to value, a time before the window or in the future, a label that does not exist,
 * the repository missing (configuration pointed elsewhere) and a wrong repository key: each is
 * refused with an error naming it, and nothing is touched (tables, the API's process). Then the
 * runbook's `zmanim-restore --to '<time>' --force` with a time just before T: the deleted rows are
 * back, the rows written after T are absent, the API serves. (The WAL archived while idle is
 * measured apart, by the bench-wal-idle benchmark: a steady figure needs a quarter of an hour.)
 */
final class PitrToTime implements Scenario {
  @Override
  public String name() {
    return "pitr-to-time";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Pitr.assertRunbookHolds();
    Instance i = Backups.launchWithRepository(w);
    i.sql()
        .script(
            "zmanim",
            """
                CREATE TABLE pitr_items (id bigint PRIMARY KEY, phase text NOT NULL);
                ALTER TABLE pitr_items OWNER TO zmanim;
                INSERT INTO pitr_items SELECT g, 'before-backup' FROM generate_series(1, 1000) g;
                """);
    Backups.assertUnitSucceeded(i, "restic-backup.service", Pitr.sh(i, Pitr.BASE_BACKUP));
    i.psql(
        "zmanim",
        "INSERT INTO pitr_items SELECT g, 'after-backup' FROM generate_series(1001, 2000) g");
    String beforeT =
        i.psql(
            "zmanim",
            "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US')");
    Thread.sleep(1000);
    i.psql("zmanim", "DELETE FROM pitr_items WHERE id % 2 = 0");
    i.psql(
        "zmanim",
        "INSERT INTO pitr_items SELECT g, 'after-delete' FROM generate_series(2001, 2500) g");
    Pitr.archiveNow(i);

    // Bad input: refused, naming what is wrong, nothing touched.
    Map<String, String> live = SampleData.tableDigests(i);
    String apiPid =
        i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip();
    refused(i, "zmanim-restore --to yesterday --force", "--to 'yesterday' is neither latest");
    refused(
        i, "zmanim-restore --to '2020-01-01 00:00:00' --force", "is before the recovery window");
    refused(i, "zmanim-restore --to '2999-01-01 00:00:00' --force", "is in the future");
    refused(i, "zmanim-restore --to 20200101-000000F --force", "no backup with that label");
    refused(i, "zmanim-restore --to latest", "refusing to replace it without --force");
    Path conf = i.root().resolve("etc/pgbackrest/pgbackrest.conf");
    String good = Files.readString(conf);
    Files.writeString(
        conf, good.replace("repo1-path=/pgbackrest", "repo1-path=/pgbackrest-nothing-here"));
    refused(i, "zmanim-restore --to latest --force", "is missing or unusable");
    Files.writeString(
        conf,
        good.replaceAll(
            "(?m)^repo1-cipher-pass=.*$", "repo1-cipher-pass=NotTheRepositoryKey0123456789"));
    refused(i, "zmanim-restore --to latest --force", "wrong repository key");
    Files.writeString(conf, good);
    assertThat(SampleData.tableDigests(i))
        .as("tables untouched by the refused restores")
        .isEqualTo(live);
    assertThat(i.exec("systemctl", "show", "-P", "MainPID", "zmanim-api.service").out().strip())
        .as("the API was not stopped or restarted")
        .isEqualTo(apiPid);

    // The runbook's restore to just before the DELETE.
    Cmd.Result restore = Pitr.sh(i, Pitr.RESTORE_TO_TIME.replace("TIME", beforeT));
    assertThat(restore.exit()).as("zmanim-restore --to '%s': %s", beforeT, restore.err()).isZero();
    i.awaitHealthy(java.time.Duration.ofMinutes(2));
    assertThat(
            i.psql(
                "zmanim",
                "SELECT phase || ' ' || count(*) FROM pitr_items GROUP BY phase ORDER BY phase"))
        .as("deleted rows back, rows after T absent")
        .isEqualTo("after-backup 1000\nbefore-backup 1000");
    assertThat(Pitr.sh(i, Pitr.RESTORE_LOG).check().out())
        .contains("recovery stopping")
        .contains("verified: all");
    assertThat(Backups.apiQuery(w, i, "/api/v1/localities/search?q=Jerusalem").statusCode())
        .isEqualTo(200);
    return "bad input refused 7 ways, nothing touched; restored to "
        + beforeT
        + ": 2000 rows (the 1000 deleted back), the 500 written after T absent, API serves";
  }

  private static void refused(Instance i, String command, String reason) {
    Cmd.Result r = Pitr.sh(i, command);
    assertThat(r.exit()).as("%s must fail", command).isNotZero();
    assertThat(r.err()).as("%s says why", command).contains(reason).contains("nothing was touched");
  }
}
