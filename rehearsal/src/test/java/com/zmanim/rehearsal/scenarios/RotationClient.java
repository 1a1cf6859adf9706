package com.zmanim.rehearsal.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The API's client during the rotations (CloudFront's place): one search after another, each on a
 * connection of its own, every tenth one repeating an earlier query (the cache answers those), with
 * the origin value it is told to send. Any answer but 200, or no answer within 30 s, is a failure.
 * Requests are counted per phase (one phase per rotation), with the longest response of each.
 */
final class RotationClient implements AutoCloseable {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final long PAUSE_MS = 50;

  private final Instance instance;
  private final AtomicReference<String> origin;
  private final AtomicReference<String> phase = new AtomicReference<>("start");
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong cacheHits = new AtomicLong();
  private final Map<String, Long> longestMs = Collections.synchronizedMap(new LinkedHashMap<>());
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Thread thread;

  RotationClient(Instance instance, String origin) {
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
      String q = "rot" + (n % 10 == 0 ? n - 5 : n);
      String during = phase.get();
      long t0 = System.nanoTime();
      String failure = null;
      try {
        HttpResponse<String> r = HTTP.send(request(q), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
          failure = "HTTP " + r.statusCode() + " " + r.body();
        } else if ("hit".equals(r.headers().firstValue("X-Cache").orElse(""))) {
          cacheHits.incrementAndGet();
        }
      } catch (Exception e) {
        failure = e.toString();
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      if (failure != null) {
        failures.add(during + ": " + Instant.now() + " " + q + ": " + failure);
      }
      longestMs.merge(during, ms, Math::max);
      requests.incrementAndGet();
      Servers.sleep(PAUSE_MS);
    }
  }

  private HttpRequest request(String q) {
    return HttpRequest.newBuilder(
            URI.create(instance.apiUrl() + "/api/v1/localities/search?q=" + q))
        .timeout(Duration.ofSeconds(30))
        .header("X-Origin-Verify", origin.get())
        .build();
  }

  /** CloudFront's configuration deployed: the client sends this origin value from now on. */
  void useOrigin(String value) {
    origin.set(value);
  }

  /**
   * Starts the phase named (failures and the longest response are counted under it) once a few more
   * requests of the phase before were answered: traffic kept flowing through it.
   */
  void enter(String name) {
    long target = requests.get() + 5;
    Instant deadline = Instant.now().plusSeconds(60);
    while (requests.get() < target && Instant.now().isBefore(deadline)) {
      Servers.sleep(100);
    }
    assertThat(requests.get())
        .as("the client kept sending (before %s)", name)
        .isGreaterThanOrEqualTo(target);
    phase.set(name);
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

  /** The longest response of each phase, in the order the phases ran. */
  Map<String, Long> longestMs() {
    synchronized (longestMs) {
      return new LinkedHashMap<>(longestMs);
    }
  }

  @Override
  public void close() throws InterruptedException {
    running.set(false);
    thread.join(Duration.ofSeconds(40));
  }
}
