package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.nio.file.Files;
import java.time.Duration;

/** The data directory says another PostgreSQL major version: refused, untouched. */
final class OtherPgMajor implements Scenario {
    @Override
    public String name() {
        return "other-pg-major";
    }

    @Override
    public String run(World w, Results results) throws Exception {
        Instance[] h = new Instance[1];
        Steps.launchHealthy(w, h);
        w.terminate(h[0]);

        // As if the volume came from a PostgreSQL 16 machine.
        var mnt = w.out().resolve("host-mount");
        Files.createDirectories(mnt);
        Cmd.ok(Duration.ofSeconds(30), "mount", w.volume().device(), mnt.toString());
        String before;
        try {
            Files.writeString(mnt.resolve("postgres/PG_VERSION"), "16\n");
            before = listing(mnt);
        } finally {
            Cmd.ok(Duration.ofSeconds(30), "umount", mnt.toString());
        }

        Instance i = w.launch();
        String state = Steps.awaitUnitFailed(i, "zmanim-boot.service", Duration.ofMinutes(3));
        assertThat(state).as("zmanim-boot.service").isEqualTo("failed");
        assertThat(Steps.unitLog(i, "zmanim-boot.service")).as("the boot log names the version found").contains("16");
        assertThat(Steps.unitState(i, "postgresql@17-main.service")).isNotEqualTo("active");
        assertThat(Steps.unitState(i, "zmanim-api.service")).isNotEqualTo("active");
        w.terminate(i);

        String after = Steps.onHostVolume(w, OtherPgMajor::listing);
        assertThat(after).as("data directory untouched (names, sizes, mtimes)").isEqualTo(before);
        return "PG_VERSION 16 refused; data directory unchanged";
    }

    static String listing(java.nio.file.Path mnt) {
        return Cmd.ok(Duration.ofSeconds(30), "sh", "-c",
                "cd '" + mnt + "/postgres' && find . -printf '%p %s %T@ %m\\n' | sort && cat PG_VERSION");
    }
}
