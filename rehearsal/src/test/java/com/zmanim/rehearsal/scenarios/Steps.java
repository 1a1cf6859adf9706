package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** Steps and checks the scenarios share. */
final class Steps {
    static final Duration FIRST_BOOT = Duration.ofMinutes(4);
    static final List<String> SERVICES = List.of("postgresql@17-main.service", "redis-server.service",
            "zmanim-api.service");

    private Steps() {
    }

    /**
     * Launches a fresh instance and waits for /health 200, then for the boot logic to finish (it
     * signals CloudFormation after /health); returns seconds from launch to /health 200.
     */
    static double launchHealthy(World w, Instance[] holder) {
        Instance i = w.launch();
        holder[0] = i;
        Instant healthy = i.awaitHealthy(FIRST_BOOT);
        awaitBootComplete(i);
        return Duration.between(i.launchedAt(), healthy).toMillis() / 1000.0;
    }

    /** Waits until zmanim-boot.service (oneshot, RemainAfterExit) is active: the boot completed. */
    static void awaitBootComplete(Instance i) {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline) && !unitState(i, "zmanim-boot.service").equals("active")) {
            Servers.sleep(200);
        }
        assertThat(unitState(i, "zmanim-boot.service")).as("zmanim-boot.service completed").isEqualTo("active");
    }

    /**
     * The volume is lost for good: a blank one replaces it (asserted blank), and a fresh instance
     * boots on it (a new, empty database) until /health 200 and the boot completed. What every
     * restore-from-the-bucket story starts from once the old instance is gone.
     */
    static Instance launchOnBlankVolume(World w) {
        w.replaceVolume();
        assertThat(blkid(w, "TYPE")).as("the new volume is blank").isEmpty();
        Instance fresh = w.launch();
        fresh.awaitHealthy(FIRST_BOOT);
        awaitBootComplete(fresh);
        return fresh;
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
            assertThat(i.exec("systemctl", "show", "-P", "ExecMainStartTimestampMonotonic", unit).out().strip())
                    .as("%s must never have started", unit).isIn("0", "");
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
        Cmd.Result r = Cmd.run(Duration.ofSeconds(10), "blkid", "-p", "-o", "value", "-s", tag, w.volume().device());
        return r.out().strip();
    }

    static JsonNode volumeRecord(World w) {
        return w.moto().aws("ec2", "describe-volumes", "--volume-ids", w.volumeId()).get("Volumes").get(0);
    }

    static JsonNode addressRecord(World w) {
        return w.moto().aws("ec2", "describe-addresses", "--allocation-ids", w.env("ZMANIM_EIP_ALLOCATION_ID"))
                .get("Addresses").get(0);
    }

    static String systemIdentifier(Instance i) {
        return i.psql("postgres", "SELECT system_identifier FROM pg_control_system()");
    }

    /** Runs {@code body} with the volume mounted read-only on the host (the instance must be stopped). */
    static <T> T onHostVolume(World w, java.util.function.Function<java.nio.file.Path, T> body) {
        java.nio.file.Path mnt = w.out().resolve("host-mount");
        try {
            java.nio.file.Files.createDirectories(mnt);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Cmd.ok(Duration.ofSeconds(30), "mount", "-o", "ro", w.volume().device(), mnt.toString());
        try {
            return body.apply(mnt);
        } finally {
            Cmd.run(Duration.ofSeconds(30), "umount", mnt.toString());
        }
    }
}
