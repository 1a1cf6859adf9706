package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.CfnSignalRecorder;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.HaFleet;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Profile ha (ADR 0014, contract §10): two instances of the same image in role api against the
 * stand-in for Aurora and ElastiCache boot at once and migrate once; neither touches a block device
 * or starts a local database; both serve the same data over TLS to the stand-in; killing one leaves
 * the other serving; the group's rolling replacement of both (one at a time, new one healthy before
 * the old one leaves) keeps /health 200 on at least one instance at every probe, and a client that
 * retries once on another instance sees no failed request.
 */
final class HaApiOnly implements Scenario {
  private static final String SEARCH = "/api/v1/localities/search?q=Jerusalem";

  @Override
  public String name() {
    return "ha-api-only";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    try (HaFleet fleet = new HaFleet(w)) {
      try {
        return story(w, fleet, results);
      } catch (Throwable t) {
        fleet.saveLogs();
        throw t;
      }
    }
  }

  private String story(World w, HaFleet fleet, Results results) throws Exception {
    String origin = w.secrets().get("origin-verify-secret");
    List<Double> bootToHealthy = new ArrayList<>();

    // Concurrent first boots: both created, then booted together against an empty database.
    Instance a = fleet.create();
    Instance b = fleet.create();
    a.boot();
    b.boot();
    var ha = CompletableFuture.supplyAsync(() -> a.awaitHealthy(Steps.FIRST_BOOT));
    var hb = CompletableFuture.supplyAsync(() -> b.awaitHealthy(Steps.FIRST_BOOT));
    bootToHealthy.add(seconds(a.launchedAt(), ha.join()));
    bootToHealthy.add(seconds(b.launchedAt(), hb.join()));
    Steps.awaitBootComplete(a);
    Steps.awaitBootComplete(b);

    String migrations =
        fleet
            .standIn()
            .psql(
                "zmanim",
                "SELECT count(*) || ' ' || count(DISTINCT version) || ' '"
                    + " || bool_and(success) FROM flyway_schema_history WHERE version IS NOT NULL");
    String[] m = migrations.split(" ");
    assertThat(Integer.parseInt(m[0])).as("migrations recorded in the stand-in").isPositive();
    assertThat(m[1])
        .as("each migration applied once although two instances started at once (%s)", migrations)
        .isEqualTo(m[0]);
    assertThat(m[2]).as("every migration succeeded").isEqualTo("true");
    assertThat(
            fleet
                .standIn()
                .psql("postgres", "SELECT rolsuper FROM pg_roles WHERE rolname = 'zmanim'"))
        .as("the API's role is not a superuser")
        .isEqualTo("f");
    List<CfnSignalRecorder.Signal> signals = w.awaitSignals(2, Duration.ofSeconds(30));
    assertThat(signals)
        .as("both signalled the group SUCCESS")
        .extracting(
            CfnSignalRecorder.Signal::stackName,
            CfnSignalRecorder.Signal::logicalResourceId,
            CfnSignalRecorder.Signal::status,
            CfnSignalRecorder.Signal::uniqueId)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(
                fleet.stack(), "ApiServerGroup", "SUCCESS", a.spec().instanceId()),
            org.assertj.core.groups.Tuple.tuple(
                fleet.stack(), "ApiServerGroup", "SUCCESS", b.spec().instanceId()));

    for (Instance i : List.of(a, b)) {
      assertNothingLocal(w, i);
    }

    // Both serve the same data, from the one database, through the origin check.
    HttpResponse<String> fromA = a.http(SEARCH, "X-Origin-Verify", origin);
    HttpResponse<String> fromB = b.http(SEARCH, "X-Origin-Verify", origin);
    assertThat(fromA.statusCode()).as("search on %s", a.name()).isEqualTo(200);
    assertThat(fromA.body()).as("a locality found").contains("Jerusalem");
    assertThat(fromB.statusCode()).as("search on %s", b.name()).isEqualTo(200);
    assertThat(fromB.body()).as("the same answer from both instances").isEqualTo(fromA.body());
    // Over TLS only: the stand-in admits nothing else, and says so for every session of zmanim.
    assertThat(
            fleet
                .standIn()
                .psql(
                    "postgres",
                    "SELECT count(*) FILTER (WHERE s.ssl) || ' ' || count(*)"
                        + " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = 'zmanim'"))
        .as("the API's sessions in the stand-in: TLS ones, all")
        .matches("([1-9][0-9]*) \\1");
    String keys =
        fleet
            .standIn()
            .container()
            .sh(
                "REDISCLI_AUTH=\"$(sed -n 's/^requirepass //p' "
                    + "/var/lib/zmanim-standin/redis/auth.conf)\" redis-cli --tls --cacert /etc/zmanim-standin/ca.pem -h "
                    + fleet.standIn().address()
                    + " -p 6379 dbsize")
            .check()
            .out()
            .strip();
    assertThat(Integer.parseInt(keys))
        .as("the API cached answers in the stand-in's Redis (over TLS)")
        .isPositive();

    // An instance lost: the other keeps serving.
    a.kill();
    w.account().terminateInstance(a.spec().instanceId());
    assertThat(b.healthStatus())
        .as("%s /health after %s was killed", b.name(), a.name())
        .isEqualTo(200);
    assertThat(b.http(SEARCH, "X-Origin-Verify", origin).statusCode())
        .as("search on the survivor")
        .isEqualTo(200);
    // The group replaces it.
    Instance c = fleet.launch();
    bootToHealthy.add(seconds(c.launchedAt(), c.awaitHealthy(Steps.FIRST_BOOT)));
    Steps.awaitBootComplete(c);

    // A rolling replacement of both, one at a time, under probes and a retrying client.
    List<Instance> inService = new CopyOnWriteArrayList<>(List.of(b, c));
    Traffic traffic = new Traffic(inService, origin);
    traffic.start();
    try {
      for (Instance old : List.of(b, c)) {
        Instance fresh = fleet.launch();
        bootToHealthy.add(seconds(fresh.launchedAt(), fresh.awaitHealthy(Steps.FIRST_BOOT)));
        Steps.awaitBootComplete(fresh);
        inService.add(fresh);
        // The load balancer stops sending it new requests, then the group terminates it.
        inService.remove(old);
        fleet.terminate(old);
      }
      Servers.sleep(1000);
    } finally {
      traffic.stop();
    }
    assertThat(traffic.probes.get())
        .as("health probes during the rolling replacement")
        .isGreaterThan(20);
    assertThat(traffic.probesWithoutHealthy.get())
        .as("probes that found no instance answering /health 200")
        .isZero();
    assertThat(traffic.requests.get())
        .as("client requests during the rolling replacement")
        .isGreaterThan(20);
    assertThat(traffic.failed.get())
        .as("client requests failed after one retry on another instance (%s)", traffic.failures)
        .isZero();

    String migration = migrationRunbook(w, fleet, List.copyOf(inService), results);

    double median = median(bootToHealthy);
    results.metric("ha_api_boot_to_healthy_s", median);
    results.metric("ha_rolling_failed_requests", traffic.failed.get());
    results.metric("ha_rolling_requests", traffic.requests.get());
    return String.format(
        "2 concurrent first boots migrated once (%s migrations); boot to healthy in role api "
            + "median %.1f s of %d %s; rolling replacement: %d probes all with a healthy instance, %d requests "
            + "(%d retried), 0 failed; %s",
        m[0],
        median,
        bootToHealthy.size(),
        bootToHealthy,
        traffic.probes.get(),
        traffic.requests.get(),
        traffic.retried.get(),
        migration);
  }

  /**
   * docs/runbooks/migrate-to-ha.md's on-instance commands, as the operator types them (run
   * verbatim).
   */
  static final String BACKUP_ON_SINGLE = "ZMANIM_LOGICAL_DUMP_WEEKDAY=daily zmanim-backup";

  static final String RESTORE_ON_HA = "zmanim-migrate-restore";

  /** Every table's row count, the same statement the backup records them with (common.sh). */
  private static final String COUNTS =
      ". /usr/local/lib/zmanim/common.sh && rowcount_sql"
          + " | runuser -u postgres -- psql -X -q -A -t -v ON_ERROR_STOP=1 -d zmanim";

  /**
   * The migration runbook: a single instance's fresh logical dump (with a table only it has),
   * restored from one ha instance into the stand-in for Aurora with the runbook's commands; every
   * table's row count equal on both sides, and the ha instances serving the restored database.
   */
  private static String migrationRunbook(World w, HaFleet fleet, List<Instance> ha, Results results)
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
                + " INSERT INTO migration_marker SELECT generate_series(1, 321);",
            Duration.ofMinutes(2));
    Cmd.Result backup = single.exec(Backups.UNIT, "bash", "-c", BACKUP_ON_SINGLE);
    assertThat(backup.exit())
        .as("on the single instance: %s: %s", BACKUP_ON_SINGLE, backup.err())
        .isZero();
    String expected = single.exec(Duration.ofMinutes(2), "bash", "-c", COUNTS).check().out();

    Instance target = ha.getFirst();
    // Rehearsal only: restic takes instance-profile keys from 169.254.169.254 alone and cannot
    // reach
    // the metadata mock (as for the backup scenarios); moto does not check them.
    fleet.addEndpoints(
        target, Map.of("AWS_ACCESS_KEY_ID", "rehearsal", "AWS_SECRET_ACCESS_KEY", "rehearsal"));
    Instant t0 = Instant.now();
    Cmd.Result restore = target.exec(Backups.UNIT, "bash", "-c", RESTORE_ON_HA);
    double restoreSeconds = seconds(t0, Instant.now());
    assertThat(restore.exit())
        .as("on %s: %s: %s", target.name(), RESTORE_ON_HA, restore.err())
        .isZero();

    String restored =
        fleet.standIn().container().exec(Duration.ofMinutes(2), "bash", "-c", COUNTS).check().out();
    assertThat(restored)
        .as("every table's row count in the stand-in equals the single instance's")
        .isEqualTo(expected)
        .contains("public.migration_marker\t321");
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
      while (Instant.now().isBefore(deadline) && (status = searchStatus(i, origin)) != 200) {
        Servers.sleep(500);
      }
      assertThat(status).as("%s serves from the restored database", i.name()).isEqualTo(200);
    }
    results.metric("ha_migrate_restore_s", restoreSeconds);
    return String.format(
        "migration runbook: %d tables restored from the single instance's dump in %.1f s, "
            + "row counts equal",
        expected.lines().count(), restoreSeconds);
  }

  private static int searchStatus(Instance i, String origin) {
    try {
      return i.http(SEARCH, "X-Origin-Verify", origin).statusCode();
    } catch (Exception e) {
      return -1;
    }
  }

  /**
   * Neither a block device nor a local database: no /data, the local units masked, no such process.
   */
  private static void assertNothingLocal(World w, Instance i) {
    assertThat(i.exec("mountpoint", "-q", "/data").ok())
        .as("%s: /data is not a mount", i.name())
        .isFalse();
    assertThat(
            i.exec(
                    "systemctl",
                    "is-enabled",
                    "postgresql@17-main.service",
                    "redis-server.service",
                    "restic-backup.timer",
                    "pgbackrest-verify.timer")
                .out()
                .lines()
                .toList())
        .as("%s: local database, cache and backup units masked for this boot", i.name())
        .containsOnly("masked-runtime");
    assertThat(i.exec("pgrep", "-x", "postgres").out().strip())
        .as("%s: no PostgreSQL process", i.name())
        .isEmpty();
    assertThat(i.exec("pgrep", "-x", "redis-server").out().strip())
        .as("%s: no Redis process", i.name())
        .isEmpty();
    assertThat(i.exec("journalctl", "-b", "-t", "zmanim-boot", "--no-pager", "-o", "cat").out())
        .as("%s: the boot ran role api and attached nothing", i.name())
        .contains("role api: ")
        .contains("boot complete")
        .doesNotContain("attach");
    assertThat(
            w.account().ec2().describeVolumes().volumes().stream()
                .flatMap(v -> v.attachments().stream())
                .filter(a -> i.spec().instanceId().equals(a.instanceId()))
                .toList())
        .as("%s: no volume attached to it in moto", i.name())
        .isEmpty();
    assertThat(i.exec("stat", "-c", "%a %U", "/opt/zmanim/config.env").check().out().strip())
        .as("%s: config.env root's alone", i.name())
        .isEqualTo("600 root");
    assertThat(i.exec("grep", "-c", "^REDIS_URL=rediss://", "/opt/zmanim/config.env").out().strip())
        .as("%s: the cache over TLS", i.name())
        .isEqualTo("1");
  }

  /**
   * What the load balancer and a client see: every 200 ms a /health probe of each instance in
   * service (at least one must answer 200), and a client sending searches round-robin that, when
   * one fails, retries once on another instance in service.
   */
  private static final class Traffic {
    final List<Instance> inService;
    final String origin;
    final AtomicBoolean running = new AtomicBoolean(true);
    final AtomicInteger probes = new AtomicInteger();
    final AtomicInteger probesWithoutHealthy = new AtomicInteger();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger retried = new AtomicInteger();
    final AtomicInteger failed = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private Thread prober;
    private Thread client;

    Traffic(List<Instance> inService, String origin) {
      this.inService = inService;
      this.origin = origin;
    }

    void start() {
      prober =
          Thread.ofPlatform()
              .daemon()
              .name("ha-probe")
              .start(
                  () -> {
                    while (running.get()) {
                      List<Instance> now = List.copyOf(inService);
                      probes.incrementAndGet();
                      if (now.stream().noneMatch(i -> i.healthStatus() == 200)) {
                        probesWithoutHealthy.incrementAndGet();
                      }
                      Servers.sleep(200);
                    }
                  });
      client =
          Thread.ofPlatform()
              .daemon()
              .name("ha-client")
              .start(
                  () -> {
                    int n = 0;
                    while (running.get()) {
                      List<Instance> now = List.copyOf(inService);
                      Instance first = now.get(n++ % now.size());
                      requests.incrementAndGet();
                      String err = get(first);
                      if (err != null) {
                        retried.incrementAndGet();
                        Instance other =
                            now.stream().filter(i -> i != first).findFirst().orElse(first);
                        String err2 = get(other);
                        if (err2 != null) {
                          failed.incrementAndGet();
                          failures.add(
                              first.name() + ": " + err + "; " + other.name() + ": " + err2);
                        }
                      }
                      Servers.sleep(100);
                    }
                  });
    }

    private String get(Instance i) {
      try {
        int status = i.http(SEARCH, "X-Origin-Verify", origin).statusCode();
        return status == 200 ? null : "HTTP " + status;
      } catch (Exception e) {
        return e.getClass().getSimpleName();
      }
    }

    void stop() throws InterruptedException {
      running.set(false);
      prober.join(10_000);
      client.join(10_000);
    }
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  private static double median(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }
}
