package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.World;
import com.zmanim.rehearsal.scenarios.ContinuousClients.Answer;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * A release and its rollback under continuous traffic. Clients send requests all along (each on a
 * connection of its own, bounded in count and time) while the operator publishes a new version with
 * scripts/ops/publish-release.sh and the instance activates it with zmanim-release-activate (what
 * the script's SSM Run Command runs there; moto does not run commands), then rolls back to the
 * baked version the same way. Not one request fails, every answer comes from the old or the new
 * version, the versions follow each other (old, new, old) without mixing back, and the longest
 * response during each switch is recorded.
 */
final class ReleaseZeroDowntime implements Scenario {
  @Override
  public String name() {
    return "release-zero-downtime";
  }

  @Override
  public String run(World w, Results results) throws Exception {
    Instance i = Steps.launchHealthy(w).instance();
    String baked = i.exec("cat", "/opt/zmanim/BAKED_VERSION").check().out().strip();
    String next = baked + "-z1";
    Layout layout = Layout.fromEnvironment();
    Path jar =
        ReleasePinning.withVersion(layout.apiJar(), w.out().resolve("zmanim-api-z1.jar"), next);

    List<Answer> all;
    long[] release = new long[2];
    long[] rollback = new long[2];
    try (ContinuousClients load = new ContinuousClients(URI.create(i.apiUrl()))) {
      load.start();
      load.awaitMore(20);

      // The release: published by the operator, activated on the instance.
      operator(w, layout, "--jar", jar.toString());
      release[0] = load.now();
      activate(i, next);
      release[1] = load.now();
      load.awaitMore(20);

      // The rollback to the image's own version, the same way.
      operator(w, layout, "--rollback", "baked");
      rollback[0] = load.now();
      activate(i, baked);
      rollback[1] = load.now();
      load.awaitMore(20);
      load.close();
      all = load.answers();
    }

    List<Answer> failed = all.stream().filter(a -> a.status() != 200).toList();
    assertThat(failed.stream().limit(10).map(a -> a.startMs() + " ms: " + a.error()).toList())
        .as("%d of %d requests failed (the first ten)", failed.size(), all.size())
        .isEmpty();
    assertThat(all)
        .extracting(Answer::version)
        .as("every answer from the old or the new version")
        .containsOnly(baked, next);
    // In the order the answers were sent: the baked version, then the new one, then the baked
    // again.
    List<Answer> byStart = all.stream().sorted(Comparator.comparingLong(Answer::startMs)).toList();
    List<String> sequence = new ArrayList<>();
    for (Answer a : byStart) {
      if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(a.version())) {
        sequence.add(a.version());
      }
    }
    assertThat(sequence)
        .as("versions in the order requests were sent")
        .containsExactly(baked, next, baked);

    long releaseMax = maxDuring(all, release);
    long rollbackMax = maxDuring(all, rollback);
    long overallMedian = median(all);
    results.metric("release_requests", all.size());
    results.metric("release_failed_requests", failed.size());
    results.metric("release_switch_max_response_ms", releaseMax);
    results.metric("rollback_switch_max_response_ms", rollbackMax);
    results.metric("release_median_response_ms", overallMedian);
    results.metric("release_activate_s", (release[1] - release[0]) / 1000.0);
    results.metric("rollback_activate_s", (rollback[1] - rollback[0]) / 1000.0);
    return String.format(
        "%d requests, 0 failed, versions %s -> %s -> %s; longest response during the release "
            + "%d ms, the rollback %d ms (median %d ms)",
        all.size(), baked, next, baked, releaseMax, rollbackMax, overallMedian);
  }

  /**
   * The operator's command, as in docs/runbooks/api-release.md, without its SSM Run Command step.
   */
  private static void operator(World w, Layout layout, String... args) {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "bash",
                layout.repo().resolve("scripts/ops/publish-release.sh").toString(),
                "--bucket",
                w.deployment().releasesBucket(),
                "--prefix",
                w.deployment().ssmPrefix(),
                "--region",
                World.REGION,
                "--no-restart"));
    cmd.addAll(List.of(args));
    Cmd.Result r = Cmd.run(Duration.ofMinutes(2), cmd, ReleasePinning.operatorEnv(w, layout), null);
    assertThat(r.ok()).as("publish-release.sh %s: %s", List.of(args), r.err()).isTrue();
  }

  /** What publish-release.sh's SSM Run Command runs on the instance. */
  private static void activate(Instance i, String version) {
    Cmd.Result r =
        i.exec(
            Duration.ofMinutes(6), "/usr/local/sbin/zmanim-release-activate", "--expect", version);
    assertThat(r.ok())
        .as("zmanim-release-activate --expect %s: %s %s", version, r.out(), r.err())
        .isTrue();
  }

  /** The longest response among requests in flight at any time of the window [from, to]. */
  private static long maxDuring(List<Answer> all, long[] window) {
    return all.stream()
        .filter(a -> a.endMs() >= window[0] && a.startMs() <= window[1])
        .mapToLong(Answer::ms)
        .max()
        .orElse(0);
  }

  private static long median(List<Answer> all) {
    long[] ms = all.stream().mapToLong(Answer::ms).sorted().toArray();
    return ms.length == 0 ? 0 : ms[ms.length / 2];
  }
}
