package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Cmd;
import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Layout;
import com.zmanim.rehearsal.Results;
import com.zmanim.rehearsal.Servers;
import com.zmanim.rehearsal.World;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
  private static final Pattern VERSION = Pattern.compile("\"version\"\\s*:\\s*\"([^\"]+)\"");
  private static final int CLIENTS = 2;
  private static final int MAX_REQUESTS = 200_000;
  private static final Duration MAX_TIME = Duration.ofMinutes(12);

  /** Between two requests of a client: ~100 requests/s in all, light on a shared machine. */
  private static final long PAUSE_MS = 20;

  @Override
  public String name() {
    return "release-zero-downtime";
  }

  /**
   * One request's outcome: when it started and ended (ms since the load began), status, version or
   * error.
   */
  record Answer(long startMs, long endMs, int status, String version, String error) {
    long ms() {
      return endMs - startMs;
    }
  }

  /** Clients that GET /health on fresh connections until stopped or bounded. */
  static final class Load implements AutoCloseable {
    private final String host;
    private final int port;
    private final long t0 = System.nanoTime();
    private final List<Answer> answers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stop;

    Load(URI api) {
      this.host = api.getHost();
      this.port = api.getPort();
    }

    void start() {
      for (int c = 0; c < CLIENTS; c++) {
        Thread t = new Thread(this::loop, "release-load-" + c);
        t.setDaemon(true);
        threads.add(t);
        t.start();
      }
    }

    long now() {
      return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    }

    private void loop() {
      while (!stop && now() < MAX_TIME.toMillis()) {
        Answer a = get();
        synchronized (answers) {
          if (answers.size() >= MAX_REQUESTS) {
            return;
          }
          answers.add(a);
        }
        Servers.sleep(PAUSE_MS);
      }
    }

    private Answer get() {
      long start = now();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(host, port), 5_000);
        s.setSoTimeout(60_000);
        OutputStream out = s.getOutputStream();
        out.write(
            ("GET /health HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = s.getInputStream();
        String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        long end = now();
        if (!response.startsWith("HTTP/1.1 ")) {
          return new Answer(start, end, -1, null, "not an HTTP response: " + abbreviate(response));
        }
        int status = Integer.parseInt(response.substring(9, 12));
        Matcher m = VERSION.matcher(response);
        return new Answer(
            start,
            end,
            status,
            m.find() ? m.group(1) : null,
            status == 200 ? null : abbreviate(response));
      } catch (IOException | RuntimeException e) {
        return new Answer(start, now(), -1, null, e.toString());
      }
    }

    private static String abbreviate(String s) {
      String one = s.replaceAll("\\s+", " ");
      return one.length() > 200 ? one.substring(0, 200) + "..." : one;
    }

    int count() {
      synchronized (answers) {
        return answers.size();
      }
    }

    void awaitMore(int more) {
      int target = count() + more;
      long deadline = now() + 60_000;
      while (count() < target) {
        assertThat(now()).as("%d more answers within 60 s", more).isLessThan(deadline);
        assertThat(threads.stream().anyMatch(Thread::isAlive)).as("clients still running").isTrue();
        Servers.sleep(50);
      }
    }

    List<Answer> answers() {
      synchronized (answers) {
        return List.copyOf(answers);
      }
    }

    @Override
    public void close() {
      stop = true;
      for (Thread t : threads) {
        try {
          t.join(70_000);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
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
    try (Load load = new Load(URI.create(i.apiUrl()))) {
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
