package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The application's role zmanim (what a compromised API can do in its own database) creates tables
 * whose names carry SQL and shell: quotes, semicolons, spaces, capitals, a tab and a newline, a
 * statement that would make zmanim a superuser, a COPY ... TO PROGRAM that would create a file as
 * the postgres user, and command substitutions that would create files as root. They go through the
 * backup (restic-backup.service), the restore drill (restore-drill.service) and a forced restore:
 * every table's row count is recorded and verified under its exact name, nothing from a name runs
 * (zmanim stays a plain role, no marker file appears), and the restored tables hold their rows.
 */
final class HostileTableName implements Scenario {
  /** Marker files a payload would create: as root (shell) or as postgres (COPY TO PROGRAM). */
  private static final String SHELL_MARKER = "/run/zmanim-pwned-shell";

  private static final String SQL_MARKER = "/var/tmp/zmanim-pwned-sql";

  /** Table name → rows. Each name fits PostgreSQL's 63 bytes. */
  static final Map<String, Integer> TABLES = new LinkedHashMap<>();

  static {
    TABLES.put("Zmanim Times", 3);
    TABLES.put("it's \"quoted\"", 5);
    TABLES.put("x; ALTER ROLE zmanim SUPERUSER; --", 7);
    TABLES.put("x;COPY(SELECT)TO PROGRAM'touch " + SQL_MARKER + "'--", 11);
    TABLES.put("$(touch " + SHELL_MARKER + ")", 13);
    TABLES.put("`touch " + SHELL_MARKER + "`]", 17);
    TABLES.put("Tab\there\nand a newline \\ backslash", 19);
    TABLES.put("public.lookalike", 23);
  }

  @Override
  public String name() {
    return "hostile-table-name";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    StringBuilder sql = new StringBuilder();
    TABLES.forEach(
        (name, rows) ->
            sql.append("CREATE TABLE public.")
                .append(ident(name))
                .append(" (n int);\n")
                .append("INSERT INTO public.")
                .append(ident(name))
                .append(" SELECT generate_series(1, ")
                .append(rows)
                .append(");\n"));
    i.sql().script("zmanim", "zmanim", sql.toString(), Duration.ofMinutes(5));
    assertThat(counts(i)).as("the tables as created").isEqualTo(TABLES);

    // 1. The backup records every table's count under its quoted, escaped name.
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    String recorded =
        "\n" + Backups.restic(i, "dump --tag rowcounts latest /zmanim-rowcounts.tsv").check().out();
    TABLES.forEach(
        (name, rows) ->
            assertThat(recorded)
                .as("row counts recorded by the backup")
                .contains("\n" + key(name) + "\t" + rows + "\n"));
    assertNothingRan(i);

    // 2. The drill verifies each of them by that name.
    Backups.assertUnitSucceeded(
        i, "restore-drill.service", Backups.startUnit(i, "restore-drill.service"));
    String drillLog = Backups.scriptLog(i, "restore-drill.service", "zmanim-restore");
    TABLES.forEach(
        (name, rows) ->
            assertThat(drillLog)
                .as("the drill's log")
                .contains("ok: " + key(name) + " " + rows + " rows"));
    assertThat(Backups.metric(w, "RestoreDrillSuccess")).containsExactly(1.0);
    assertNothingRan(i);

    // 3. A forced restore over a changed database brings the rows back and verifies them.
    i.sql()
        .script(
            "zmanim",
            "zmanim",
            "DELETE FROM public." + ident("Zmanim Times") + ";\n",
            Duration.ofMinutes(5));
    Cmd.Result restore = i.exec(Backups.UNIT, "zmanim-restore", "--force");
    assertThat(restore.exit()).as("zmanim-restore --force: %s", restore.err()).isZero();
    TABLES.forEach(
        (name, rows) ->
            assertThat(restore.err())
                .as("the restore's output")
                .contains("ok: " + key(name) + " " + rows + " rows"));
    assertThat(restore.err())
        .contains("verified: all " + (TABLES.size() + existingTables(recorded)) + " tables");
    assertThat(counts(i)).as("the tables after the restore").isEqualTo(TABLES);
    assertNothingRan(i);
    i.awaitHealthy(java.time.Duration.ofMinutes(2));
    return TABLES.size()
        + " hostile table names backed up, drilled and restored with verified counts; "
        + "zmanim not superuser, no marker file";
  }

  /** Tables of the API's own schema in the recorded counts (those the scenario did not create). */
  private static int existingTables(String recorded) {
    return (int) recorded.lines().filter(l -> !l.isBlank()).count() - TABLES.size();
  }

  private static void assertNothingRan(Instance i) {
    assertThat(i.psql("postgres", "SELECT rolsuper FROM pg_roles WHERE rolname = 'zmanim'"))
        .as("zmanim is still not a superuser")
        .isEqualTo("f");
    assertThat(i.exec("test", "-e", SHELL_MARKER).exit())
        .as("%s (a name run as shell)", SHELL_MARKER)
        .isNotZero();
    assertThat(i.exec("test", "-e", SQL_MARKER).exit())
        .as("%s (a name run as SQL)", SQL_MARKER)
        .isNotZero();
  }

  /**
   * Each scenario table's row count, queried by its name quoted here (independently of the image's
   * scripts).
   */
  private static Map<String, Integer> counts(Instance i) {
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (String name : TABLES.keySet()) {
      counts.put(
          name, Integer.parseInt(i.psql("zmanim", "SELECT count(*) FROM public." + ident(name))));
    }
    return counts;
  }

  /** An SQL identifier, always quoted. */
  static String ident(String name) {
    return "\"" + name.replace("\"", "\"\"") + "\"";
  }

  /**
   * The name as the row counts record it: schema.table quoted as PostgreSQL does, control
   * characters escaped.
   */
  static String key(String name) {
    return ("public." + ident(name))
        .replace("\\", "\\\\")
        .replace("\t", "\\t")
        .replace("\n", "\\n")
        .replace("\r", "\\r");
  }
}
