package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The retention policy (7 daily / 4 weekly / 3 monthly), applied by the image's own step
 * (`zmanim-backup forget`) to snapshots spread over simulated days: tiny stdin snapshots with the
 * real layout (host zmanim-prod, path /zmanim-postgres.dump, tags zmanim, postgres, run-...), dated
 * with `restic backup --time`. What must remain is worked out by hand below (ISO weeks of 2026).
 */
final class Retention implements Scenario {
  /** Snapshot days (03:00 UTC), newest first. */
  static final List<String> DAYS =
      List.of(
          "2026-11-20",
          "2026-11-19",
          "2026-11-18",
          "2026-11-17",
          "2026-11-16", // Fri..Mon, ISO week 47
          "2026-11-15",
          "2026-11-14",
          "2026-11-13",
          "2026-11-12",
          "2026-11-11", // Sun..Wed, week 46
          "2026-11-04", // week 45
          "2026-10-28", // week 44, October
          "2026-10-21",
          "2026-10-05", // weeks 43, 41
          "2026-09-30",
          "2026-09-15", // September
          "2026-08-31",
          "2026-07-31");

  /**
   * Kept: the 7 newest days (daily: Nov 20..14); weekly, the newest of 4 ISO weeks: Nov 20 (47),
   * Nov 15 (46), Nov 4 (45), Oct 28 (44); monthly, the newest of 3 months: Nov 20, Oct 28, Sep 30.
   */
  static final List<String> KEPT =
      List.of(
          "2026-11-20",
          "2026-11-19",
          "2026-11-18",
          "2026-11-17",
          "2026-11-16",
          "2026-11-15",
          "2026-11-14",
          "2026-11-04",
          "2026-10-28",
          "2026-09-30");

  @Override
  public String name() {
    return "retention";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Backups.launchWithRepository(w);
    String host = "zmanim-" + w.deployment().environment();
    StringBuilder script = new StringBuilder("set -e\n");
    for (String day : DAYS) {
      String run = "run-" + day.replace("-", "") + "T030000Z";
      script
          .append("echo ")
          .append(day)
          .append(" | restic backup --quiet --host ")
          .append(host)
          .append(" --tag zmanim --tag postgres --tag ")
          .append(run)
          .append(" --time '")
          .append(day)
          .append(" 03:00:00' --stdin --stdin-filename zmanim-postgres.dump\n");
    }
    Backups.restic(i, "version").check();
    i.exec(
            Duration.ofMinutes(5),
            "bash",
            "-c",
            "set -a; . /etc/zmanim/instance.env; "
                + "[ ! -r /etc/zmanim/endpoints.env ] || . /etc/zmanim/endpoints.env; . /etc/restic/env; set +a; "
                + script)
        .check();
    assertThat(days(i)).as("snapshots before retention").containsExactlyElementsOf(DAYS);

    i.exec(Duration.ofMinutes(5), "zmanim-backup", "forget").check();

    List<String> kept = days(i);
    assertThat(kept).as("kept by 7 daily / 4 weekly / 3 monthly").containsExactlyElementsOf(KEPT);
    return String.format(
        "%d snapshots over %s..%s; kept exactly %s",
        DAYS.size(), DAYS.getLast(), DAYS.getFirst(), kept);
  }

  /** The days of the snapshots left, newest first. */
  private static List<String> days(Instance i) {
    List<String> days = new ArrayList<>();
    Backups.snapshots(i).forEach(s -> days.add(s.get("time").asText().substring(0, 10)));
    days.sort(java.util.Comparator.reverseOrder());
    return days;
  }
}
