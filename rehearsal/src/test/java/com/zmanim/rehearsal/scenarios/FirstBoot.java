package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.CfnSignalRecorder;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.List;

/**
 * A blank volume: XFS made, initdb, migrations, services active in order, /health 200 from the
 * host, EIP associated and volume attached in moto, success signal sent, config files 0600 with the
 * right owners, PostgreSQL and Redis on loopback only.
 */
final class FirstBoot implements Scenario {
  @Override
  public String name() {
    return "first-boot";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    assertThat(Steps.blkid(w, "TYPE")).as("the volume starts blank").isEmpty();
    Steps.Healthy launched = Steps.launchHealthy(w);
    Instance i = launched.instance();
    results.metric("boot_to_healthy_first_s", launched.secondsToHealthy());
    String id = i.spec().instanceId();

    // The volume: XFS, mounted at /data, PGDATA of PostgreSQL 17 owned by postgres with 0700.
    assertThat(i.exec("findmnt", "-n", "-o", "FSTYPE", "/data").check().out().strip())
        .isEqualTo("xfs");
    assertThat(Steps.blkid(w, "TYPE"))
        .as("filesystem on the host's view of the volume")
        .isEqualTo("xfs");
    assertThat(i.exec("cat", "/data/postgres/PG_VERSION").check().out().strip()).isEqualTo("17");
    assertThat(i.exec("stat", "-c", "%a %U", "/data/postgres").check().out().strip())
        .isEqualTo("700 postgres");
    assertThat(i.exec("stat", "-c", "%a %U", "/data/redis").check().out().strip())
        .isEqualTo("750 redis");

    // Migrations applied by the API, as the zmanim role, with PostGIS available.
    assertThat(
            Integer.parseInt(
                i.psql("zmanim", "SELECT count(*) FROM flyway_schema_history WHERE success")))
        .isPositive();
    assertThat(i.psql("zmanim", "SELECT extname FROM pg_extension WHERE extname = 'postgis'"))
        .isEqualTo("postgis");
    assertThat(i.psql("zmanim", "SELECT rolsuper FROM pg_roles WHERE rolname = 'zmanim'"))
        .isEqualTo("f");

    // Services active, in order: PostgreSQL and Redis before the API.
    for (String unit : Steps.SERVICES) {
      assertThat(Steps.unitState(i, unit)).as(unit).isEqualTo("active");
    }
    long pg = activeAt(i, "postgresql@17-main.service");
    long redis = activeAt(i, "redis-server.service");
    long api =
        i.exec("systemctl", "show", "-P", "ExecMainStartTimestampMonotonic", "zmanim-api.service")
                .out()
                .strip()
                .isEmpty()
            ? 0
            : Long.parseLong(
                i.exec(
                        "systemctl",
                        "show",
                        "-P",
                        "ExecMainStartTimestampMonotonic",
                        "zmanim-api.service")
                    .out()
                    .strip());
    assertThat(pg).as("PostgreSQL active before the API starts").isPositive().isLessThan(api);
    assertThat(redis).as("Redis active before the API starts").isPositive().isLessThan(api);

    // /health from the host.
    var health = i.http("/health");
    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).contains("\"status\":\"ok\"").contains("\"database\":\"ok\"");

    // Real queries through the origin check (CloudFront's header), refused without it.
    String origin = w.secrets().get("origin-verify-secret");
    String zmanimQuery = "/api/v1/zmanim?lat=31.778&lng=35.235&date=2026-11-24&tz=Asia/Jerusalem";
    assertThat(i.http(zmanimQuery).statusCode()).as("without X-Origin-Verify").isEqualTo(403);
    var zmanim = i.http(zmanimQuery, "X-Origin-Verify", origin);
    assertThat(zmanim.statusCode()).as("zmanim: %s", zmanim.body()).isEqualTo(200);
    assertThat(zmanim.body()).containsIgnoringCase("sunrise");
    var search = i.http("/api/v1/localities/search?q=Jerusalem", "X-Origin-Verify", origin);
    assertThat(search.statusCode()).as("localities: %s", search.body()).isEqualTo(200);
    assertThat(search.body()).contains("Jerusalem");

    // moto's records: volume attached to this instance, EIP associated with it.
    var vol = Steps.volumeRecord(w);
    assertThat(vol.attachments().getFirst().instanceId()).isEqualTo(id);
    assertThat(vol.attachments().getFirst().stateAsString()).isEqualTo("attached");
    assertThat(Steps.addressRecord(w).instanceId()).isEqualTo(id);

    // The success signal, once, for this instance.
    List<CfnSignalRecorder.Signal> signals = w.awaitSignals(1, Duration.ofSeconds(30));
    assertThat(signals)
        .containsExactly(
            new CfnSignalRecorder.Signal(
                World.STACK, w.deployment().signalResource(), id, "SUCCESS"));
    assertThat(w.signals().unexpected()).isEmpty();

    // Config files: modes and owners of contract §6.
    assertThat(stat(i, "/opt/zmanim/config.env")).isEqualTo("600 root:root");
    assertThat(stat(i, "/etc/restic/env")).isEqualTo("600 root:root");
    assertThat(stat(i, "/etc/restic/password")).isEqualTo("600 root:root");
    assertThat(stat(i, "/etc/redis/zmanim-secrets.conf")).isEqualTo("640 root:redis");

    // PostgreSQL and Redis listen on loopback only.
    String listening = i.exec("ss", "-ltnH").check().out();
    for (String port : List.of("5432", "6379")) {
      List<String> locals =
          listening
              .lines()
              .map(l -> l.trim().split("\\s+")[3])
              .filter(a -> a.endsWith(":" + port))
              .toList();
      assertThat(locals)
          .as("listeners on port %s", port)
          .isNotEmpty()
          .allSatisfy(a -> assertThat(a).matches("(127\\.0\\.0\\.1|\\[::1]):" + port));
    }
    return String.format(
        "healthy %.1f s after launch; XFS, PG 17, migrations, signal, EIP and volume ok",
        launched.secondsToHealthy());
  }

  static long activeAt(Instance i, String unit) {
    String v =
        i.exec("systemctl", "show", "-P", "ActiveEnterTimestampMonotonic", unit).out().strip();
    return v.isEmpty() ? 0 : Long.parseLong(v);
  }

  static String stat(Instance i, String path) {
    return i.exec("stat", "-c", "%a %U:%G", path).check().out().strip();
  }
}
