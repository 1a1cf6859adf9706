package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
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
    w.terminate(Steps.launchHealthy(w).instance());

    // As if the volume came from a PostgreSQL 16 machine.
    String before =
        Steps.changeOnHostVolume(
            w,
            mnt -> {
              Files.writeString(mnt.resolve("postgres/PG_VERSION"), "16\n");
              return listing(mnt);
            });

    Steps.FailedBoot boot = Steps.launchFailingBoot(w);
    assertThat(boot.log()).as("the boot log names the version found").contains("16");
    assertThat(Steps.unitState(boot.instance(), "postgresql@17-main.service"))
        .isNotEqualTo("active");
    assertThat(Steps.unitState(boot.instance(), "zmanim-api.service")).isNotEqualTo("active");
    w.terminate(boot.instance());

    String after = Steps.onHostVolume(w, OtherPgMajor::listing);
    assertThat(after).as("data directory untouched (names, sizes, mtimes)").isEqualTo(before);
    return "PG_VERSION 16 refused; data directory unchanged";
  }

  static String listing(java.nio.file.Path mnt) {
    return Cmd.ok(
        Duration.ofSeconds(30),
        "sh",
        "-c",
        "cd '" + mnt + "/postgres' && find . -printf '%p %s %T@ %m\\n' | sort && cat PG_VERSION");
  }
}
