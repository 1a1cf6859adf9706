package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import software.amazon.awssdk.services.ec2.model.Address;
import software.amazon.awssdk.services.ec2.model.Volume;

/** Steps and checks the scenarios share. */
final class Steps {
  static final Duration FIRST_BOOT = Duration.ofMinutes(4);
  static final List<String> SERVICES =
      List.of("postgresql@17-main.service", "redis-server.service", "zmanim-api.service");

  private Steps() {}

  /** An instance that booted healthy, and the seconds from its launch to /health 200. */
  record Healthy(Instance instance, double secondsToHealthy) {}

  /**
   * Launches a fresh instance and waits for /health 200, then for the boot logic to finish (it
   * signals CloudFormation after /health).
   */
  static Healthy launchHealthy(World w) {
    Instance i = w.launch();
    Instant healthy = i.awaitHealthy(FIRST_BOOT);
    awaitBootComplete(i);
    return new Healthy(i, Duration.between(i.launchedAt(), healthy).toMillis() / 1000.0);
  }

  /**
   * An instance whose boot failed, what zmanim-boot logged, and the seconds from launch to the
   * failure.
   */
  record FailedBoot(Instance instance, String log, double seconds) {}

  /**
   * Launches a fresh instance whose boot must fail: zmanim-boot.service fails within 3 minutes and
   * the instance never signals SUCCESS; returns what the boot logged.
   */
  static FailedBoot launchFailingBoot(World w) {
    Instance i = w.launch();
    String state = awaitUnitFailed(i, "zmanim-boot.service", Duration.ofMinutes(3));
    double seconds = Duration.between(i.launchedAt(), Instant.now()).toMillis() / 1000.0;
    assertThat(state)
        .as("zmanim-boot.service of %s fails within 3 minutes", i.name())
        .isEqualTo("failed");
    assertThat(w.signals().signals())
        .as("signals")
        .noneMatch(s -> "SUCCESS".equals(s.status()) && s.uniqueId().equals(i.spec().instanceId()));
    return new FailedBoot(i, unitLog(i, "zmanim-boot.service"), seconds);
  }

  /** Waits until zmanim-boot.service (oneshot, RemainAfterExit) is active: the boot completed. */
  static void awaitBootComplete(Instance i) {
    Instant deadline = Instant.now().plusSeconds(60);
    while (Instant.now().isBefore(deadline)
        && !unitState(i, "zmanim-boot.service").equals("active")) {
      Servers.sleep(200);
    }
    assertThat(unitState(i, "zmanim-boot.service"))
        .as("zmanim-boot.service completed")
        .isEqualTo("active");
  }

  /**
   * The volume is lost for good: a blank one replaces it (asserted blank), and a fresh instance
   * boots on it (a new, empty database) until /health 200 and the boot completed. What every
   * restore-from-the-bucket story starts from once the old instance is gone.
   */
  static Instance launchOnBlankVolume(World w) {
    w.replaceVolume();
    assertThat(blkid(w, "TYPE")).as("the new volume is blank").isEmpty();
    return launchHealthy(w).instance();
  }

  static String unitState(Instance i, String unit) {
    return i.exec("systemctl", "show", "-P", "ActiveState", unit).out().strip();
  }

  /** Waits until the unit has failed (or the timeout passes); returns its last state. */
  static String awaitUnitFailed(Instance i, String unit, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    String state = "";
    while (Instant.now().isBefore(deadline)) {
      state = unitState(i, unit);
      if (state.equals("failed")) {
        return state;
      }
      Servers.sleep(500);
    }
    return state;
  }

  /**
   * What a unit logged this boot: by unit and by its syslog identifier (the unit's name), since
   * journald cannot always tie a short-lived helper's lines (logger, systemd-cat) to the unit.
   */
  static String unitLog(Instance i, String unit) {
    String id = unit.replace(".service", "");
    return i.exec("journalctl", "-b", "-u", unit, "--no-pager", "-o", "cat").out()
        + i.exec("journalctl", "-b", "-t", id, "--no-pager", "-o", "cat").out();
  }

  static void assertNoServiceStarted(Instance i) {
    for (String unit : SERVICES) {
      assertThat(
              i.exec("systemctl", "show", "-P", "ExecMainStartTimestampMonotonic", unit)
                  .out()
                  .strip())
          .as("%s must never have started", unit)
          .isIn("0", "");
    }
  }

  /** redis-cli inside the instance, authenticated with the password the world put into SSM. */
  static String redis(World w, Instance i, String... args) {
    String[] argv = new String[args.length + 4];
    argv[0] = "env";
    argv[1] = "REDISCLI_AUTH=" + w.secrets().get("redis-password");
    argv[2] = "redis-cli";
    argv[3] = "--no-auth-warning";
    System.arraycopy(args, 0, argv, 4, args.length);
    return i.exec(argv).check().out().strip();
  }

  /** The filesystem UUID and type on the volume, as blkid on the host sees them ("" when blank). */
  static String blkid(World w, String tag) {
    Cmd.Result r =
        Cmd.run(
            Duration.ofSeconds(10), "blkid", "-p", "-o", "value", "-s", tag, w.volume().device());
    return r.out().strip();
  }

  /** moto's record of the data volume. */
  static Volume volumeRecord(World w) {
    return w.account().volume(w.volumeId());
  }

  /** moto's record of the Elastic IP. */
  static Address addressRecord(World w) {
    return w.account().address(w.deployment().eipAllocationId());
  }

  static String systemIdentifier(Instance i) {
    return i.psql("postgres", "SELECT system_identifier FROM pg_control_system()");
  }

  /** What a step does with the volume's files, mounted on the host at {@code mnt}. */
  interface OnVolume<T> {
    T apply(Path mnt) throws IOException;
  }

  /** Runs {@code body} with the volume mounted read-only on the host (no instance may use it). */
  static <T> T onHostVolume(World w, OnVolume<T> body) throws IOException {
    return mounted(w, "ro", body);
  }

  /**
   * Runs {@code change} with the volume mounted read-write on the host (no instance may use it):
   * what another machine, or a lost instance, left on it.
   */
  static <T> T changeOnHostVolume(World w, OnVolume<T> change) throws IOException {
    return mounted(w, "rw", change);
  }

  private static <T> T mounted(World w, String mode, OnVolume<T> body) throws IOException {
    Path mnt = w.out().resolve("host-mount");
    Files.createDirectories(mnt);
    Cmd.ok(Duration.ofSeconds(30), "mount", "-o", mode, w.volume().device(), mnt.toString());
    try {
      return body.apply(mnt);
    } finally {
      Cmd.ok(Duration.ofSeconds(30), "umount", mnt.toString());
    }
  }
}
