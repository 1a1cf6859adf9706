package com.zmanim.rehearsal.scenarios;

import static com.zmanim.rehearsal.scenarios.HaApiOnlySteps.SEARCH;
import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.HaFleet;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.util.ArrayList;
import java.util.List;

/**
 * Profile ha (ADR 0014, contract §10): two instances of the same image in role api against the
 * stand-in for Aurora and ElastiCache boot at once and migrate once; neither touches a block device
 * or starts a local database; both serve the same data over TLS to the stand-in; killing one leaves
 * the other serving; the group's rolling replacement of both (one at a time, new one healthy before
 * the old one leaves) keeps /health 200 on at least one instance at every probe, and a client that
 * retries once on another instance sees no failed request; the migration runbook's restore into the
 * stand-in has equal row counts; the API's request metrics are written for the CloudWatch agent.
 */
final class HaApiOnly implements Scenario {

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

    // Two instances of the group boot at once against an empty database: they migrate it once.
    Instance a = fleet.create();
    Instance b = fleet.create();
    List<Double> bootToHealthy = new ArrayList<>(HaApiOnlySteps.bootTogether(List.of(a, b)));
    int migrations = HaApiOnlySteps.assertMigratedOnce(fleet);
    HaApiOnlySteps.assertSignalled(w, fleet, List.of(a, b));

    // Neither touches a block device nor starts a local database.
    HaApiOnlySteps.assertNothingLocal(w, a);
    HaApiOnlySteps.assertNothingLocal(w, b);

    // Both serve the same data, from the one database, through the origin check.
    HaApiOnlySteps.assertSameDataOverTls(fleet, a, b, origin);

    // An instance lost: the other keeps serving, and the group replaces the lost one.
    a.kill();
    w.account().terminateInstance(a.spec().instanceId());
    assertThat(b.healthStatus())
        .as("%s /health after %s was killed", b.name(), a.name())
        .isEqualTo(200);
    assertThat(b.http(SEARCH, "X-Origin-Verify", origin).statusCode())
        .as("search on the survivor")
        .isEqualTo(200);
    List<Instance> launched = new ArrayList<>();
    bootToHealthy.add(HaApiOnlySteps.launchHealthy(fleet, launched));
    Instance c = launched.getLast();

    // A rolling replacement of both, one at a time, under probes and a retrying client.
    HaRollingProbe traffic = new HaRollingProbe(List.of(b, c), SEARCH, origin);
    try (traffic) {
      for (Instance old : List.of(b, c)) {
        bootToHealthy.add(HaApiOnlySteps.launchHealthy(fleet, launched));
        traffic.join(launched.getLast());
        traffic.leave(old);
        fleet.terminate(old);
      }
      Servers.sleep(1000);
    }
    assertThat(traffic.probes())
        .as("health probes during the rolling replacement")
        .isGreaterThan(20);
    assertThat(traffic.probesWithoutHealthy())
        .as("probes that found no instance answering /health 200")
        .isZero();
    assertThat(traffic.requests())
        .as("client requests during the rolling replacement")
        .isGreaterThan(20);
    assertThat(traffic.failed())
        .as("client requests failed after one retry on another instance (%s)", traffic.failures())
        .isZero();

    // The migration runbook: a single instance's dump restored into the stand-in, verbatim.
    List<Instance> inService = traffic.inService();
    HaMigrationRunbook.Outcome migration = HaMigrationRunbook.run(w, fleet, inService, SEARCH);

    // The API's request metrics are in the log the CloudWatch agent ships.
    int metricLines = HaApiOnlySteps.assertRequestMetrics(inService.getLast());

    double median = HaApiOnlySteps.median(bootToHealthy);
    results.metric("ha_api_boot_to_healthy_s", median);
    results.metric("ha_rolling_failed_requests", traffic.failed());
    results.metric("ha_rolling_requests", traffic.requests());
    results.metric("ha_migrate_restore_s", migration.restoreSeconds());
    results.metric("ha_migrate_restore_tables", migration.tables());
    return String.format(
        "2 concurrent first boots migrated once (%d migrations); boot to healthy in role api "
            + "median %.1f s of %d %s; rolling replacement: %d probes all with a healthy instance, "
            + "%d requests (%d retried), 0 failed; migration runbook: %d tables restored from the "
            + "single instance's dump in %.1f s, row counts equal; %d EMF lines in api.log",
        migrations,
        median,
        bootToHealthy.size(),
        bootToHealthy,
        traffic.probes(),
        traffic.requests(),
        traffic.retried(),
        migration.tables(),
        migration.restoreSeconds(),
        metricLines);
  }
}
