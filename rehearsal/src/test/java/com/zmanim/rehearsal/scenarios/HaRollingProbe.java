package com.zmanim.rehearsal.scenarios;

import com.zmanim.rehearsal.Instance;
import com.zmanim.rehearsal.Servers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the load balancer and a client see while the group replaces instances: every 200 ms a
 * /health probe of each instance in service (at least one must answer 200), and a client sending
 * searches round-robin that, when one fails, retries once on another instance in service. The
 * scenario changes the set in service as the group would: a new instance joins once healthy, an old
 * one leaves (deregistered) before it is terminated.
 */
final class HaRollingProbe implements AutoCloseable {
  private final List<Instance> inService;
  private final String path;
  private final String origin;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger probes = new AtomicInteger();
  private final AtomicInteger probesWithoutHealthy = new AtomicInteger();
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger retried = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
  private final Thread prober;
  private final Thread client;

  /** Starts probing {@code inService} and sending {@code path} with the origin header. */
  HaRollingProbe(List<Instance> inService, String path, String origin) {
    this.inService = new CopyOnWriteArrayList<>(inService);
    this.path = path;
    this.origin = origin;
    prober = Thread.ofPlatform().daemon().name("ha-probe").start(this::probe);
    client = Thread.ofPlatform().daemon().name("ha-client").start(this::send);
  }

  /** The group's new instance, healthy: the load balancer starts sending it requests. */
  void join(Instance fresh) {
    inService.add(fresh);
  }

  /** The load balancer stops sending the old instance new requests (before it is terminated). */
  void leave(Instance old) {
    inService.remove(old);
  }

  List<Instance> inService() {
    return List.copyOf(inService);
  }

  private void probe() {
    while (running.get()) {
      List<Instance> now = List.copyOf(inService);
      probes.incrementAndGet();
      if (now.stream().noneMatch(i -> i.healthStatus() == 200)) {
        probesWithoutHealthy.incrementAndGet();
      }
      Servers.sleep(200);
    }
  }

  private void send() {
    int n = 0;
    while (running.get()) {
      List<Instance> now = List.copyOf(inService);
      Instance first = now.get(n++ % now.size());
      requests.incrementAndGet();
      String err = get(first);
      if (err != null) {
        retried.incrementAndGet();
        Instance other = now.stream().filter(i -> i != first).findFirst().orElse(first);
        String err2 = get(other);
        if (err2 != null) {
          failed.incrementAndGet();
          failures.add(first.name() + ": " + err + "; " + other.name() + ": " + err2);
        }
      }
      Servers.sleep(100);
    }
  }

  private String get(Instance i) {
    try {
      int status = i.http(path, "X-Origin-Verify", origin).statusCode();
      return status == 200 ? null : "HTTP " + status;
    } catch (Exception e) {
      return e.getClass().getSimpleName();
    }
  }

  int probes() {
    return probes.get();
  }

  int probesWithoutHealthy() {
    return probesWithoutHealthy.get();
  }

  int requests() {
    return requests.get();
  }

  int retried() {
    return retried.get();
  }

  int failed() {
    return failed.get();
  }

  List<String> failures() {
    return List.copyOf(failures);
  }

  /** Stops both threads (waits for them). */
  @Override
  public void close() throws InterruptedException {
    running.set(false);
    prober.join(10_000);
    client.join(10_000);
  }
}
