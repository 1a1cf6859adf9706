package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zmanim.rehearsal.CfnSignalRecorder;
import com.zmanim.rehearsal.HaFleet;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The checks of {@link HaApiOnly}, each on real state: the stand-in, the instances, moto. */
final class HaApiOnlySteps {
  static final String SEARCH = "/api/v1/localities/search?q=Jerusalem";

  private HaApiOnlySteps() {}

  /** Boots the not yet booted instances together; returns each one's seconds to /health 200. */
  static List<Double> bootTogether(List<Instance> instances) {
    instances.forEach(Instance::boot);
    List<CompletableFuture<Double>> healthy =
        instances.stream()
            .map(
                i ->
                    CompletableFuture.supplyAsync(
                        () -> seconds(i.launchedAt(), i.awaitHealthy(Steps.FIRST_BOOT))))
            .toList();
    List<Double> seconds = healthy.stream().map(CompletableFuture::join).toList();
    instances.forEach(Steps::awaitBootComplete);
    return seconds;
  }

  /** Launches one more instance of the group; returns its seconds to /health 200. */
  static double launchHealthy(HaFleet fleet, List<Instance> into) {
    Instance fresh = fleet.launch();
    double s = seconds(fresh.launchedAt(), fresh.awaitHealthy(Steps.FIRST_BOOT));
    Steps.awaitBootComplete(fresh);
    into.add(fresh);
    return s;
  }

  /** Flyway's history in the stand-in: each migration once, all successful; returns how many. */
  static int assertMigratedOnce(HaFleet fleet) {
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
    return Integer.parseInt(m[0]);
  }

  /** Each instance signalled the group's resource SUCCESS, once. */
  static void assertSignalled(World w, HaFleet fleet, List<Instance> instances) {
    List<CfnSignalRecorder.Signal> signals =
        w.awaitSignals(instances.size(), Duration.ofSeconds(30));
    assertThat(signals)
        .as("each signalled the group SUCCESS")
        .extracting(
            CfnSignalRecorder.Signal::stackName,
            CfnSignalRecorder.Signal::logicalResourceId,
            CfnSignalRecorder.Signal::status,
            CfnSignalRecorder.Signal::uniqueId)
        .containsExactlyInAnyOrderElementsOf(
            instances.stream()
                .map(i -> tuple(fleet.stack(), "ApiServerGroup", "SUCCESS", i.spec().instanceId()))
                .toList());
  }

  /**
   * Neither a block device nor a local database: no /data, the local units masked, no such process,
   * no volume attached in moto; config.env root's, the cache over TLS.
   */
  static void assertNothingLocal(World w, Instance i) {
    assertThat(i.exec("mountpoint", "-q", "/data").ok())
        .as("%s: /data is not a mount", i.name())
        .isFalse();
    assertThat(
            i.exec("systemctl", "is-enabled", "postgresql@17-main.service", "redis-server.service")
                .out()
                .lines()
                .toList())
        .as("%s: local database and cache masked for this boot", i.name())
        .containsExactly("masked-runtime", "masked-runtime");
    assertThat(
            i.exec("systemctl", "is-active", "restic-backup.timer", "pgbackrest-verify.timer")
                .out()
                .lines()
                .toList())
        .as("%s: no backup timer runs", i.name())
        .containsOnly("inactive");
    for (String process : List.of("postgres", "redis-server")) {
      assertThat(i.exec("pgrep", "-x", process).out().strip())
          .as("%s: no %s process", i.name(), process)
          .isEmpty();
    }
    assertThat(i.exec("journalctl", "-b", "-t", "zmanim-boot", "--no-pager", "-o", "cat").out())
        .as("%s: the boot ran role api and attached nothing", i.name())
        .contains("role api: ")
        .contains("boot complete")
        .doesNotContain("attach");
    // moto gives every instance a root volume at launch, as EC2 does; any other is an attachment.
    String root =
        w.account()
            .ec2()
            .describeInstances(r -> r.instanceIds(i.spec().instanceId()))
            .reservations()
            .getFirst()
            .instances()
            .getFirst()
            .rootDeviceName();
    assertThat(
            w.account().ec2().describeVolumes().volumes().stream()
                .flatMap(v -> v.attachments().stream())
                .filter(a -> i.spec().instanceId().equals(a.instanceId()))
                .filter(a -> !a.device().equals(root))
                .toList())
        .as("%s: no volume attached to it in moto besides its root (%s)", i.name(), root)
        .isEmpty();
    assertThat(i.exec("stat", "-c", "%a %U", "/opt/zmanim/config.env").check().out().strip())
        .as("%s: config.env root's alone", i.name())
        .isEqualTo("600 root");
    assertThat(i.exec("grep", "-c", "^REDIS_URL=rediss://", "/opt/zmanim/config.env").out().strip())
        .as("%s: the cache over TLS", i.name())
        .isEqualTo("1");
  }

  /** Both answer the same search, from the one database over TLS, and cache in the one Redis. */
  static void assertSameDataOverTls(HaFleet fleet, Instance a, Instance b, String origin)
      throws Exception {
    HttpResponse<String> fromA = a.http(SEARCH, "X-Origin-Verify", origin);
    HttpResponse<String> fromB = b.http(SEARCH, "X-Origin-Verify", origin);
    assertThat(fromA.statusCode()).as("search on %s", a.name()).isEqualTo(200);
    assertThat(fromA.body()).as("a locality found").contains("Jerusalem");
    assertThat(fromB.statusCode()).as("search on %s", b.name()).isEqualTo(200);
    assertThat(fromB.body()).as("the same answer from both instances").isEqualTo(fromA.body());
    // The stand-in admits nothing but TLS, and says so for every session of zmanim.
    assertThat(
            fleet
                .standIn()
                .psql(
                    "postgres",
                    "SELECT count(*) FILTER (WHERE s.ssl) || ' ' || count(*)"
                        + " FROM pg_stat_activity a JOIN pg_stat_ssl s USING (pid) WHERE a.usename = 'zmanim'"))
        .as("the API's sessions in the stand-in: TLS ones, all")
        .matches("([1-9][0-9]*) \\1");
    assertThat(fleet.standIn().cacheKeys())
        .as("the API cached answers in the stand-in's Redis (over TLS)")
        .isPositive();
  }

  /**
   * The API's request metrics on an instance of role api: once its API stops (the last minute's
   * lines are written then), api.log (what the CloudWatch agent ships) holds EMF lines in the user
   * data's namespace; returns how many.
   */
  static int assertRequestMetrics(Instance i) throws Exception {
    String namespace =
        i.sh("sed -n 's/^ZMANIM_METRICS_NAMESPACE=//p' /etc/zmanim/instance.env")
            .check()
            .out()
            .strip();
    assertThat(namespace).as("the ha user data's metrics namespace").isNotEmpty();
    assertThat(
            i.exec("grep", "-c", "^METRICS_NAMESPACE=" + namespace + "$", "/opt/zmanim/config.env")
                .out()
                .strip())
        .as("%s: config.env names the metrics namespace", i.name())
        .isEqualTo("1");
    i.exec("systemctl", "stop", "zmanim-api.service").check();
    List<String> lines = List.of();
    Instant deadline = Instant.now().plusSeconds(30);
    while (lines.isEmpty() && Instant.now().isBefore(deadline)) {
      lines =
          i.sh("grep -F '\"_aws\"' /var/log/zmanim/api.log || true").check().out().lines().toList();
      Servers.sleep(500);
    }
    assertThat(lines).as("%s: EMF lines in /var/log/zmanim/api.log", i.name()).isNotEmpty();
    ObjectMapper json = new ObjectMapper();
    for (String line : lines) {
      JsonNode doc = json.readTree(line);
      assertThat(doc.at("/_aws/CloudWatchMetrics/0/Namespace").asText())
          .as(line)
          .isEqualTo(namespace);
    }
    return lines.size();
  }

  static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }

  static double median(List<Double> values) {
    List<Double> s = values.stream().sorted().toList();
    return s.size() % 2 == 1
        ? s.get(s.size() / 2)
        : (s.get(s.size() / 2 - 1) + s.get(s.size() / 2)) / 2;
  }
}
