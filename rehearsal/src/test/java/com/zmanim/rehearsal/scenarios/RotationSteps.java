package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.ssm.model.ParameterNotFoundException;

/**
 * The operator's rotation command (scripts/ops/secrets.sh against moto) and the probes that tell
 * whether a value works where it should. The instance's side runs as SSM Run Command would run the
 * stack's rotation document (zmanim-rotate STEP, as root, inside the instance): a stand-in for the
 * SSM agent, which moto cannot be. The probes take a value from a 0600 file inside the instance,
 * never from a command line.
 */
final class RotationSteps {
  private final World w;
  private final Instance i;
  private final Map<String, String> env;

  RotationSteps(World w, Instance i) throws IOException {
    this.w = w;
    this.i = i;
    Path agent = w.out().resolve("ssm-agent-stand-in.sh");
    Files.writeString(
        agent,
        "#!/usr/bin/env bash\n# Runs what the stack's SSM document runs, as SSM Run Command would.\n"
            + "set -euo pipefail\nexec nsenter -t "
            + i.initPid()
            + " -a -- env -i PATH=/usr/local/sbin:/usr/local/bin:"
            + "/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /usr/local/sbin/zmanim-rotate \"$1\"\n");
    Files.setPosixFilePermissions(agent, PosixFilePermissions.fromString("rwx------"));
    this.env = new HashMap<>(ReleasePinning.operatorEnv(w, Layout.fromEnvironment()));
    env.put("ZMANIM_ROTATE_ON_INSTANCE", agent.toString());
  }

  /** scripts/ops/secrets.sh ARGS as the operator runs it. */
  Cmd.Result secrets(String... args) {
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

  /** secrets.sh rotate NAME [OPTIONS], which must succeed. */
  void rotate(String... nameAndOptions) {
    List<String> args = new ArrayList<>(List.of("rotate"));
    args.addAll(List.of(nameAndOptions));
    Cmd.Result r = secrets(args.toArray(String[]::new));
    assertThat(r.exit())
        .as("secrets.sh rotate %s: %s", String.join(" ", nameAndOptions), r.err())
        .isZero();
  }

  /** The parameter's value in SSM (moto) now. */
  String current(String name) {
    return w.account().parameter(w.deployment().ssmName(name));
  }

  boolean absent(String name) {
    try {
      current(name);
      return false;
    } catch (ParameterNotFoundException e) {
      return true;
    }
  }

  /** A TCP login as role zmanim with this password (the API's way in). */
  Cmd.Result dbLogin(String password) {
    return withValue(
        password,
        f ->
            script(
                f,
                "PGPASSWORD=\"$(cat \"$1\")\" PGCONNECT_TIMEOUT=5"
                    + " psql -X -h 127.0.0.1 -U zmanim -d zmanim -tAc 'SELECT 1'"));
  }

  /** Redis' answer to PING, authenticated with this password. */
  String redisPing(String password) {
    Cmd.Result r =
        withValue(
            password,
            f -> script(f, "REDISCLI_AUTH=\"$(cat \"$1\")\" redis-cli --no-auth-warning PING"));
    return (r.out() + r.err()).strip();
  }

  /**
   * The API's status for a search sent with this origin value, from inside the instance on a
   * connection of its own (curl closes it): a pooled idle connection would hold the old JVM through
   * its whole drain at the next restart.
   */
  int originStatus(String value) {
    Cmd.Result r =
        withValue(
            "X-Origin-Verify: " + value,
            f ->
                script(
                    f,
                    "curl -s -o /dev/null -w '%{http_code}' --max-time 30 -H @\"$1\" "
                        + "'http://127.0.0.1:"
                        + i.apiPort()
                        + "/api/v1/localities/search?q=Jerusalem'"));
    return Integer.parseInt(r.check().out().strip());
  }

  /** Whether the restic repository opens with this password. */
  boolean resticOpens(String password) {
    return withValue(password, f -> Backups.restic(i, "--password-file " + f + " cat config"))
            .exit()
        == 0;
  }

  private Cmd.Result script(String file, String bash) {
    return i.exec("bash", "-c", bash, "probe", file);
  }

  /**
   * Runs a probe with a 0600 file inside the instance that holds the value (removed after): the
   * value stays out of every command line.
   */
  private Cmd.Result withValue(String value, Function<String, Cmd.Result> probe) {
    String file = "/var/tmp/rehearsal-probe";
    i.writeFile(file.substring(1), value + "\n", "600");
    try {
      return probe.apply(file);
    } finally {
      i.exec("rm", "-f", file);
    }
  }
}
