package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What the point-in-time scenarios share: a writer committing a row every 100 ms (each row holding
 * its own commit time) whose acknowledgements land in a file, WAL pushed to the archive on demand,
 * and the runbook's PITR commands (docs/runbooks/restore.md), which these scenarios run verbatim.
 */
final class Pitr {
  static final String RESTORE_LATEST = "zmanim-restore --to latest --force";
  static final String RESTORE_TO_TIME = "zmanim-restore --to 'TIME' --force";
  static final String RESTORE_LOG = "journalctl -b -t zmanim-restore --no-pager -o cat";
  static final String HEALTH = "zmanim-health";
  static final String BASE_BACKUP = "systemctl start restic-backup.service";
  static final String INFO = "runuser -u postgres -- pgbackrest --stanza=zmanim info";
  static final List<String> RUNBOOK =
      List.of(RESTORE_LATEST, RESTORE_TO_TIME, RESTORE_LOG, HEALTH, BASE_BACKUP, INFO);

  /**
   * Where the writer's acknowledgements go (inside the instance; the host reads them from its
   * root).
   */
  static final String ACKS = "/var/tmp/rehearsal-acks";

  private Pitr() {}

  static void assertRunbookHolds() throws IOException {
    String runbook =
        Files.readString(
            com.zmanim.rehearsal.Layout.fromEnvironment()
                .repo()
                .resolve("docs/runbooks/restore.md"));
    assertThat(runbook)
        .as("docs/runbooks/restore.md holds the PITR commands the scenarios run")
        .contains(RUNBOOK);
  }

  /** The writes table: one row per commit, with the time it was written (clock_timestamp()). */
  static void createWrites(Instance i) {
    i.sql()
        .script(
            "zmanim",
            """
                CREATE TABLE pitr_writes (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    at timestamptz NOT NULL DEFAULT clock_timestamp());
                ALTER TABLE pitr_writes OWNER TO zmanim;
                """);
  }

  /**
   * Starts the writer inside the instance as a transient unit: one psql session, one INSERT
   * (autocommit) every 100 ms; psql prints each row's id and time once its commit returned (line
   * buffered), so the file holds exactly the acknowledged commits.
   */
  static void startWriter(Instance i) {
    i.exec(
            "systemd-run",
            "--unit=rehearsal-writer",
            "--uid=postgres",
            "--",
            "bash",
            "-c",
            "while :; do echo \"INSERT INTO pitr_writes DEFAULT VALUES RETURNING id, extract(epoch FROM at);\";"
                + " sleep 0.1; done | stdbuf -oL psql -X -q -A -t -F ' ' -v ON_ERROR_STOP=1 -d zmanim >"
                + ACKS)
        .check();
  }

  static void stopWriter(Instance i) {
    i.exec("systemctl", "stop", "rehearsal-writer.service");
  }

  /** The acknowledged commits (id, epoch seconds), read from the instance's root on the host. */
  static List<double[]> acks(Instance i) {
    java.nio.file.Path f = i.root().resolve(ACKS.substring(1));
    if (!Files.exists(f)) {
      return List.of(); // the writer has not started yet
    }
    try {
      return Files.readAllLines(f).stream()
          .filter(l -> l.matches("\\d+ [0-9.]+"))
          .map(
              l ->
                  new double[] {
                    Double.parseDouble(l.split(" ")[0]), Double.parseDouble(l.split(" ")[1])
                  })
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Waits until the writer has acknowledged at least {@code n} commits. */
  static void awaitAcks(Instance i, int n, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (acks(i).size() < n) {
      assertThat(Instant.now())
          .as("the writer acknowledged %d commits in time", n)
          .isBefore(deadline);
      Servers.sleep(500);
    }
  }

  /** Switches to a new WAL segment and waits until PostgreSQL reports it archived. */
  static void archiveNow(Instance i) {
    String wal = i.psql("postgres", "SELECT pg_walfile_name(pg_switch_wal())");
    Instant deadline = Instant.now().plusSeconds(120);
    while (true) {
      String last =
          i.psql("postgres", "SELECT coalesce(last_archived_wal, '') FROM pg_stat_archiver");
      if (!last.isEmpty() && last.substring(8).compareTo(wal.substring(8)) >= 0) {
        return;
      }
      assertThat(Instant.now())
          .as("WAL segment %s archived (last: %s)", wal, last)
          .isBefore(deadline);
      Servers.sleep(300);
    }
  }

  /** A runbook command, as the operator types it in a root shell on the instance. */
  static Cmd.Result sh(Instance i, String command) {
    return i.exec(Backups.UNIT, "bash", "-c", command);
  }
}
