package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Every secret kind rotated with the operator's own command (scripts/ops/secrets.sh rotate NAME,
 * against moto), while a client queries the API continuously (each query a new search: database and
 * cache both used) and a writer commits a row every 100 ms. The instance's side runs as SSM Run
 * Command would run it (zmanim-rotate STEP, as root, inside the instance: the harness stands in for
 * the SSM agent, which moto cannot be). After each rotation the old value is refused where it was
 * accepted (PostgreSQL, Redis, the API's origin check, the restic repository) and the new one
 * works; CloudFront is played by the client: it sends the old origin value until phase 1 is done,
 * the new one after. At the end: no failed request, no acknowledged row missing, a backup and both
 * restore drills (pgBackRest's latest point, restic's dump) succeed with the new restic key, and a
 * snapshot taken before the key rotation still restores.
 */
final class RotateSecrets implements Scenario {
  private static final String OLD_PASSWORD_FILE = "/var/tmp/rehearsal-old-restic-password";

  @Override
  public String name() {
    return "rotate-secrets";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    Pitr.createWrites(i);
    Backups.assertUnitSucceeded(
        i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
    String snapshotBefore = null;
    for (var snap : Backups.snapshots(i)) {
      if (snap.get("tags").toString().contains("\"rowcounts\"")) {
        snapshotBefore = snap.get("id").asText();
      }
    }
    assertThat(snapshotBefore).as("the first backup's row counts snapshot").isNotNull();
    Pitr.startWriter(i);
    Map<String, String> operator = operatorEnv(w, i);

    try (Client client = new Client(i, current(w, "origin-verify-secret"))) {
      // The database password: role altered, then the API restarted onto it.
      String oldDb = current(w, "postgres-password");
      rotate(operator, w, "postgres-password");
      String newDb = current(w, "postgres-password");
      assertThat(newDb).as("a new database password").isNotEqualTo(oldDb);
      assertThat(dbLogin(i, oldDb).exit()).as("the old database password is refused").isNotZero();
      assertThat(dbLogin(i, oldDb).err()).contains("password authentication failed");
      assertThat(dbLogin(i, newDb).check().out().strip()).isEqualTo("1");
      client.nextPhase("rotating the Redis password");

      // The Redis password: added next to the old one, the API moved, the old one removed.
      String oldRedis = current(w, "redis-password");
      rotate(operator, w, "redis-password");
      String newRedis = current(w, "redis-password");
      assertThat(newRedis).as("a new Redis password").isNotEqualTo(oldRedis);
      assertThat(redisPing(i, oldRedis))
          .as("the old Redis password is refused")
          .doesNotContain("PONG");
      assertThat(redisPing(i, newRedis)).isEqualTo("PONG");
      assertThat(
              i.exec("grep", "-c", "^requirepass ", "/etc/redis/zmanim-secrets.conf").out().strip())
          .isEqualTo("1");
      client.nextPhase("origin phase 1, CloudFront sending the old value");
      assertThat(client.cacheHits()).as("the API still uses its cache").isPositive();

      // The origin secret, phase 1: the API accepts both while CloudFront (the client) still sends
      // the old one.
      String oldOrigin = current(w, "origin-verify-secret");
      rotate(operator, w, "origin-verify-secret");
      String newOrigin = current(w, "origin-verify-secret");
      assertThat(newOrigin).isNotEqualTo(oldOrigin);
      assertThat(originStatus(i, oldOrigin))
          .as("phase 1: the old origin value is still served")
          .isEqualTo(200);
      assertThat(originStatus(i, newOrigin))
          .as("phase 1: the new origin value is served")
          .isEqualTo(200);
      client.nextPhase("origin phase 1, CloudFront sending the new value");
      client.useOrigin(newOrigin); // CloudFront's configuration deployed
      client.nextPhase("origin phase 2");
      rotate(operator, w, "origin-verify-secret", "--finish");
      assertThat(originStatus(i, oldOrigin))
          .as("phase 2: the old origin value is refused")
          .isEqualTo(403);
      assertThat(originStatus(i, newOrigin)).isEqualTo(200);
      assertThat(absent(w, "origin-verify-secret-previous"))
          .as("the previous origin value is deleted from SSM")
          .isTrue();
      client.nextPhase("rotating the restic key, backup and drill");

      // The restic key: a key for the new password added, switched, the old key removed.
      String oldRestic = current(w, "restic-password");
      i.writeFile(OLD_PASSWORD_FILE.substring(1), oldRestic + "\n", "600");
      rotate(operator, w, "restic-password");
      assertThat(current(w, "restic-password")).isNotEqualTo(oldRestic);
      assertThat(i.exec("cat", "/etc/restic/password").out().strip())
          .isEqualTo(current(w, "restic-password"));
      assertThat(Backups.restic(i, "--password-file " + OLD_PASSWORD_FILE + " cat config").exit())
          .as("the old restic password no longer opens the repository")
          .isNotZero();
      assertThat(Backups.restic(i, "key list --json").check().out())
          .as("exactly one key")
          .containsOnlyOnce("\"id\"");
      assertThat(absent(w, "restic-password-next"))
          .as("restic-password-next is gone from SSM")
          .isTrue();
      // The snapshot taken before the rotation still restores, with the new key.
      assertThat(
              Backups.restic(i, "dump " + snapshotBefore + " /zmanim-rowcounts.tsv").check().out())
          .contains("public.pitr_writes");

      // A backup and the restore drill (pgBackRest's latest point and restic's dump) after it.
      Backups.assertUnitSucceeded(
          i, "restic-backup.service", Backups.startUnit(i, "restic-backup.service"));
      Backups.assertUnitSucceeded(
          i, "restore-drill.service", Backups.startUnit(i, "restore-drill.service"));
      assertThat(Backups.scriptLog(i, "restore-drill.service", "zmanim-restore-drill"))
          .doesNotContain("holds no logical dump");

      // pgBackRest's key is refused, saying why, with nothing changed.
      String cipher = current(w, "pgbackrest-cipher-pass");
      Cmd.Result refused = secrets(operator, w, "rotate", "pgbackrest-cipher-pass");
      assertThat(refused.exit()).isNotZero();
      assertThat(refused.err()).contains("cannot be rotated in place").contains("0018");
      assertThat(current(w, "pgbackrest-cipher-pass")).isEqualTo(cipher);

      client.nextPhase("the end");
      Pitr.stopWriter(i);
      long acked = Pitr.acks(i).size();
      String[] rows =
          i.psql("zmanim", "SELECT count(*) || ' ' || coalesce(max(id), 0) FROM pitr_writes")
              .split(" ");
      assertThat(Long.parseLong(rows[0]))
          .as("every acknowledged row is there, none lost")
          .isGreaterThanOrEqualTo(acked)
          .isEqualTo(Long.parseLong(rows[1]));
      client.close();
      assertThat(client.failures()).as("failed requests during the rotations").isEmpty();
      results.metric("rotate_requests", client.requests());
      results.metric("rotate_longest_response_ms", client.longestMs());
      return String.format(
          "4 kinds rotated (database, Redis, origin 2 phases, restic key); %d requests, 0 failed, "
              + "longest %d ms; %d rows acknowledged, none lost; backup + drill after the key rotation; "
              + "pgbackrest-cipher-pass refused",
          client.requests(), client.longestMs(), acked);
    }
  }

  /** The operator's environment: moto as AWS, and the stand-in for the SSM agent. */
  private static Map<String, String> operatorEnv(World w, Instance i) throws Exception {
    Path agent = w.out().resolve("ssm-agent-stand-in.sh");
    Files.writeString(
        agent,
        "#!/usr/bin/env bash\n# Runs what the stack's SSM document runs, as SSM Run Command would.\n"
            + "set -euo pipefail\nexec nsenter -t "
            + i.initPid()
            + " -a -- env -i PATH=/usr/local/sbin:/usr/local/bin:"
            + "/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /usr/local/sbin/zmanim-rotate \"$1\"\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwx------"));
    Map<String, String> env =
        new HashMap<>(ReleasePinning.operatorEnv(w, Layout.fromEnvironment()));
    env.put("ZMANIM_ROTATE_ON_INSTANCE", agent.toString());
    return env;
  }

  private static Cmd.Result secrets(Map<String, String> env, World w, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "bash",
                Layout.fromEnvironment().repo().resolve("scripts/ops/secrets.sh").toString(),
                "--prefix",
                w.deployment().ssmPrefix(),
                "--region",
                World.REGION));
    argv.addAll(List.of(args));
    return Cmd.run(Duration.ofMinutes(10), argv, env, null);
  }

  private static void rotate(Map<String, String> env, World w, String... nameAndOptions) {
    List<String> args = new ArrayList<>(List.of("rotate"));
    args.addAll(List.of(nameAndOptions));
    Cmd.Result r = secrets(env, w, args.toArray(String[]::new));
    assertThat(r.exit())
        .as("secrets.sh rotate %s: %s", String.join(" ", nameAndOptions), r.err())
        .isZero();
  }

  /** The parameter's value in SSM (moto) now. */
  private static String current(World w, String name) {
    return w.account().parameter(w.deployment().ssmName(name));
  }

  private static boolean absent(World w, String name) {
    try {
      w.account().parameter(w.deployment().ssmName(name));
      return false;
    } catch (software.amazon.awssdk.services.ssm.model.ParameterNotFoundException e) {
      return true;
    }
  }

  /**
   * A TCP login as role zmanim with this password (the API's way in), password in the environment.
   */
  private static Cmd.Result dbLogin(Instance i, String password) {
    return i.exec(
        "env",
        "PGPASSWORD=" + password,
        "PGCONNECT_TIMEOUT=5",
        "psql",
        "-X",
        "-h",
        "127.0.0.1",
        "-U",
        "zmanim",
        "-d",
        "zmanim",
        "-tAc",
        "SELECT 1");
  }

  private static String redisPing(Instance i, String password) {
    Cmd.Result r =
        i.exec("env", "REDISCLI_AUTH=" + password, "redis-cli", "--no-auth-warning", "PING");
    return (r.out() + r.err()).strip();
  }

  private static int originStatus(Instance i, String value) throws Exception {
    return i.http("/api/v1/localities/search?q=Jerusalem", "X-Origin-Verify", value).statusCode();
  }

  /**
   * The API's client (CloudFront's place): one search after another, each a query not asked before,
   * with the origin value it is told to send. Any answer but 200, or no answer, is a failure.
   */
  static final class Client implements AutoCloseable {
    private static final HttpClient HTTP =
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final Instance instance;
    private final AtomicReference<String> origin;
    private final AtomicReference<String> phase =
        new AtomicReference<>("rotating the database password");
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong requests = new AtomicLong();
    private final AtomicLong cacheHits = new AtomicLong();
    private final AtomicLong longestMs = new AtomicLong();
    private final List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;

    Client(Instance instance, String origin) {
      this.instance = instance;
      this.origin = new AtomicReference<>(origin);
      this.thread = new Thread(this::loop, "rotate-client");
      this.thread.setDaemon(true);
      this.thread.start();
    }

    private void loop() {
      long n = 0;
      while (running.get()) {
        n++;
        // Every tenth query repeats an earlier one: the cache answers those.
        String q = "rot" + (n % 10 == 0 ? n - 5 : n);
        long t0 = System.nanoTime();
        try {
          HttpResponse<String> r =
              HTTP.send(
                  HttpRequest.newBuilder(
                          URI.create(instance.apiUrl() + "/api/v1/localities/search?q=" + q))
                      .timeout(Duration.ofSeconds(30))
                      .header("X-Origin-Verify", origin.get())
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() != 200) {
            failures.add(
                phase.get()
                    + ": "
                    + java.time.Instant.now()
                    + " "
                    + q
                    + ": HTTP "
                    + r.statusCode()
                    + " "
                    + r.body());
          } else if ("hit".equals(r.headers().firstValue("X-Cache").orElse(""))) {
            cacheHits.incrementAndGet();
          }
        } catch (Exception e) {
          failures.add(phase.get() + ": " + java.time.Instant.now() + " " + q + ": " + e);
        }
        requests.incrementAndGet();
        longestMs.accumulateAndGet((System.nanoTime() - t0) / 1_000_000, Math::max);
        com.zmanim.rehearsal.Servers.sleep(50);
      }
    }

    void useOrigin(String value) {
      origin.set(value);
    }

    /**
     * Names the phase that follows (failures carry it) after a few more requests were answered; the
     * failures of every phase are asserted at the end, so that one run shows them all.
     */
    void nextPhase(String when) {
      phase.set(when);
      long target = requests.get() + 5;
      java.time.Instant deadline = java.time.Instant.now().plusSeconds(60);
      while (requests.get() < target && java.time.Instant.now().isBefore(deadline)) {
        com.zmanim.rehearsal.Servers.sleep(100);
      }
      assertThat(requests.get())
          .as("the client kept sending (%s)", when)
          .isGreaterThanOrEqualTo(target);
    }

    List<String> failures() {
      synchronized (failures) {
        return List.copyOf(failures);
      }
    }

    long requests() {
      return requests.get();
    }

    long cacheHits() {
      return cacheHits.get();
    }

    long longestMs() {
      return longestMs.get();
    }

    @Override
    public void close() throws InterruptedException {
      running.set(false);
      thread.join(Duration.ofSeconds(40));
    }
  }
}
