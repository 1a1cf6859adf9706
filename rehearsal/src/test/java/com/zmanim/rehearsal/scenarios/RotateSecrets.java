package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.util.Map;

/**
 * Every secret kind rotated with the operator's own command (scripts/ops/secrets.sh rotate NAME,
 * against moto), while a client queries the API continuously (each query a new search: database and
 * cache both used) and a writer commits a row every 100 ms. After each rotation the old value is
 * refused where it was accepted (PostgreSQL, Redis, the API's origin check, the restic repository)
 * and the new one works; CloudFront is played by the client: it sends the old origin value until
 * phase 1 is done, the new one after. At the end: no failed request, no acknowledged row missing, a
 * backup and the restore drill (pgBackRest's latest point, restic's dump) succeed with the new
 * restic key, and a snapshot taken before the key rotation still restores.
 */
final class RotateSecrets implements Scenario {

  @Override
  public String name() {
    return "rotate-secrets";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    Pitr.createWrites(i);
    String snapshotBefore = backupWithRowCounts(i);
    Pitr.startWriter(i);
    RotationSteps ops = new RotationSteps(w, i);

    try (RotationClient client = new RotationClient(i, ops.current("origin-verify-secret"))) {
      client.enter("database");
      database(ops);
      client.enter("redis");
      redis(i, ops);
      assertThat(client.cacheHits()).as("the API still uses its cache").isPositive();
      client.enter("origin phase 1");
      String newOrigin = originPhase1(ops);
      client.enter("origin switched"); // CloudFront's configuration deployed
      client.useOrigin(newOrigin);
      client.enter("origin phase 2");
      originPhase2(ops, newOrigin);
      client.enter("restic key");
      resticKey(i, ops, snapshotBefore);
      client.enter("backup and drill");
      backupAndDrill(i);
      pgbackrestKeyRefused(ops);
      client.enter("end");
      client.close();

      long acked = noRowLost(i);
      assertThat(client.failures()).as("failed requests during the rotations").isEmpty();
      Map<String, Long> longest = client.longestMs();
      results.metric("rotate_requests", client.requests());
      longest.forEach((phase, ms) -> results.metric("rotate_longest_ms_" + key(phase), ms));
      return String.format(
          "4 kinds rotated (database, Redis, origin in 2 phases, restic key); %d requests, 0 failed;"
              + " longest response per phase (ms) %s; %d rows acknowledged, none lost; backup and"
              + " drill after the key rotation; pgbackrest-cipher-pass refused",
          client.requests(), longest, acked);
    }
  }

  /** The first backup, whose row counts snapshot must still restore after the key rotation. */
  private static String backupWithRowCounts(Instance i) {
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    String id = null;
    for (var snap : Backups.snapshots(i)) {
      if (snap.get("tags").toString().contains("\"rowcounts\"")) {
        id = snap.get("id").asText();
      }
    }
    assertThat(id).as("the first backup's row counts snapshot").isNotNull();
    return id;
  }

  /** The database password: role altered, then the API restarted onto it. */
  private static void database(RotationSteps ops) {
    String old = ops.current("postgres-password");
    ops.rotate("postgres-password");
    String now = ops.current("postgres-password");
    assertThat(now).as("a new database password").isNotEqualTo(old);
    Cmd.Result refused = ops.dbLogin(old);
    assertThat(refused.exit()).as("the old database password is refused").isNotZero();
    assertThat(refused.err()).contains("password authentication failed");
    assertThat(ops.dbLogin(now).check().out().strip()).isEqualTo("1");
  }

  /** The Redis password: added next to the old one, the API moved, the old one removed. */
  private static void redis(Instance i, RotationSteps ops) {
    String old = ops.current("redis-password");
    ops.rotate("redis-password");
    String now = ops.current("redis-password");
    assertThat(now).as("a new Redis password").isNotEqualTo(old);
    assertThat(ops.redisPing(old)).as("the old Redis password is refused").doesNotContain("PONG");
    assertThat(ops.redisPing(now)).isEqualTo("PONG");
    assertThat(
            i.exec("grep", "-c", "^requirepass ", "/etc/redis/zmanim-secrets.conf").out().strip())
        .as("one password in Redis' configuration")
        .isEqualTo("1");
  }

  /** Origin phase 1: the API accepts both while CloudFront (the client) still sends the old one. */
  private static String originPhase1(RotationSteps ops) {
    String old = ops.current("origin-verify-secret");
    ops.rotate("origin-verify-secret");
    String now = ops.current("origin-verify-secret");
    assertThat(now).isNotEqualTo(old);
    assertThat(ops.originStatus(old)).as("phase 1: the old origin value is served").isEqualTo(200);
    assertThat(ops.originStatus(now)).as("phase 1: the new origin value is served").isEqualTo(200);
    return now;
  }

  /** Origin phase 2, once CloudFront sends the new value: the old one is refused. */
  private static void originPhase2(RotationSteps ops, String now) {
    String old = ops.current("origin-verify-secret-previous");
    ops.rotate("origin-verify-secret", "--finish");
    assertThat(ops.originStatus(old)).as("phase 2: the old origin value is refused").isEqualTo(403);
    assertThat(ops.originStatus(now)).isEqualTo(200);
    assertThat(ops.absent("origin-verify-secret-previous"))
        .as("the previous origin value is deleted from SSM")
        .isTrue();
  }

  /**
   * The restic key: a key for the new password added, switched, the old key removed; the snapshot
   * taken before still restores with the new one.
   */
  private static void resticKey(Instance i, RotationSteps ops, String snapshotBefore) {
    String old = ops.current("restic-password");
    assertThat(ops.resticOpens(old)).as("the old restic password opens the repository").isTrue();
    ops.rotate("restic-password");
    String now = ops.current("restic-password");
    assertThat(now).as("a new restic password").isNotEqualTo(old);
    assertThat(i.exec("cat", "/etc/restic/password").check().out().strip())
        .as("/etc/restic/password holds SSM's new value")
        .isEqualTo(now);
    assertThat(ops.resticOpens(old))
        .as("the old restic password no longer opens the repository")
        .isFalse();
    assertThat(ops.resticOpens(now)).as("the new restic password opens it").isTrue();
    assertThat(Backups.restic(i, "key list --json").check().out())
        .as("exactly one key left")
        .containsOnlyOnce("\"id\"");
    assertThat(ops.absent("restic-password-next"))
        .as("restic-password-next is gone from SSM")
        .isTrue();
    assertThat(Backups.restic(i, "dump " + snapshotBefore + " /zmanim-rowcounts.tsv").check().out())
        .as("a snapshot from before the rotation restores with the new key")
        .contains("public.pitr_writes");
  }

  /** A backup and the restore drill (pgBackRest's latest point, restic's dump) after the key. */
  private static void backupAndDrill(Instance i) {
    int before = Backups.snapshots(i).size();
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    assertThat(Backups.snapshots(i).size())
        .as("the backup after the key rotation added snapshots")
        .isGreaterThan(before);
    Backups.assertUnitSucceeded(
        i, "restore-drill.service", Backups.startUnit(i, "restore-drill.service"));
    assertThat(Backups.scriptLog(i, "restore-drill.service", "zmanim-restore-drill"))
        .doesNotContain("holds no logical dump");
  }

  /** pgBackRest's key is refused, saying why, with nothing changed. */
  private static void pgbackrestKeyRefused(RotationSteps ops) {
    String cipher = ops.current("pgbackrest-cipher-pass");
    Cmd.Result refused = ops.secrets("rotate", "pgbackrest-cipher-pass");
    assertThat(refused.exit()).isNotZero();
    assertThat(refused.err()).contains("cannot be rotated in place").contains("0018");
    assertThat(ops.current("pgbackrest-cipher-pass")).isEqualTo(cipher);
  }

  /** Every acknowledged row of the writer is there, ids without a gap. Returns the count. */
  private static long noRowLost(Instance i) {
    Pitr.stopWriter(i);
    long acked = Pitr.acks(i).size();
    String[] rows =
        i.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes")
            .split(" ");
    assertThat(acked).as("the writer kept committing").isPositive();
    assertThat(Long.parseLong(rows[0]))
        .as("every acknowledged row is there, none lost")
        .isGreaterThanOrEqualTo(acked)
        .isEqualTo(Long.parseLong(rows[1]));
    return acked;
  }

  private static String key(String phase) {
    return phase.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
  }
}
